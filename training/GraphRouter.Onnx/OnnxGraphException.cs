namespace GraphRouter.Onnx;

/// <summary>The graph being built is not valid ONNX (unknown value, duplicate name, type mismatch, bad shape).</summary>
public sealed class OnnxGraphException : Exception
{
    public OnnxGraphException()
    {
    }

    public OnnxGraphException(string message)
        : base(message)
    {
    }

    public OnnxGraphException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
