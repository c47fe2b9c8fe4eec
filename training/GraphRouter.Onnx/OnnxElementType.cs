namespace GraphRouter.Onnx;

/// <summary>Tensor element types the builder writes; the values are ONNX's <c>TensorProto.DataType</c> codes.</summary>
public enum OnnxElementType
{
    Float = 1,
    Int32 = 6,
    Int64 = 7,
    Bool = 9,
    Double = 11,
}
