namespace GraphRouter.Onnx;

/// <summary>A constant tensor (initializer): its dims and its elements as little-endian raw bytes.</summary>
internal sealed record TensorDefinition
{
    public required string Name { get; init; }

    public required OnnxElementType ElementType { get; init; }

    public required IReadOnlyList<long> Dims { get; init; }

    public required byte[] RawData { get; init; }
}
