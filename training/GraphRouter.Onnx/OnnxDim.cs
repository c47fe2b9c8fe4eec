namespace GraphRouter.Onnx;

/// <summary>
/// One dimension of a graph input or output: a fixed size, or a symbolic name such as <c>"batch"</c> or
/// <c>"history"</c> that ONNX Runtime binds at run time. Converts implicitly from <see cref="long"/> and
/// <see cref="string"/>, so a shape reads <c>["history", 64]</c>.
/// </summary>
public readonly record struct OnnxDim
{
    private OnnxDim(long? size, string? symbol)
    {
        Size = size;
        Symbol = symbol;
    }

    /// <summary>The fixed size, or null for a symbolic dimension.</summary>
    public long? Size { get; }

    /// <summary>The symbolic name, or null for a fixed dimension.</summary>
    public string? Symbol { get; }

    public static OnnxDim Fixed(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return new OnnxDim(size, null);
    }

    public static OnnxDim Symbolic(string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        return new OnnxDim(null, symbol);
    }

    public static implicit operator OnnxDim(long size) => Fixed(size);

    public static implicit operator OnnxDim(string symbol) => Symbolic(symbol);

    public static OnnxDim FromInt64(long size) => Fixed(size);

    public static OnnxDim FromString(string symbol) => Symbolic(symbol);

    public override string ToString() => Symbol ?? Size!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
