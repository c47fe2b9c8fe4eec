namespace GraphRouter.Onnx;

/// <summary>Attribute kinds the builder writes; the values are ONNX's <c>AttributeProto.AttributeType</c> codes.</summary>
public enum OnnxAttributeKind
{
    Float = 1,
    Int = 2,
    String = 3,
    Floats = 6,
    Ints = 7,
}
