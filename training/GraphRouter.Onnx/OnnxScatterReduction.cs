namespace GraphRouter.Onnx;

/// <summary>How ScatterElements combines an update with the existing value (opset 16-17 allow these three).</summary>
public enum OnnxScatterReduction
{
    None,
    Add,
    Multiply,
}
