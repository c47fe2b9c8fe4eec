namespace GraphRouter.Onnx;

/// <summary>A graph input or output: name, element type and shape (null when the rank is unknown).</summary>
internal sealed record ValueInfoDefinition
{
    public required string Name { get; init; }

    public required OnnxElementType ElementType { get; init; }

    public required IReadOnlyList<OnnxDim>? Shape { get; init; }
}
