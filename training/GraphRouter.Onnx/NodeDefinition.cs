namespace GraphRouter.Onnx;

/// <summary>One operator application in the graph, in the order it was added (which is topological).</summary>
internal sealed record NodeDefinition
{
    public required string Name { get; init; }

    public required string OpType { get; init; }

    public required IReadOnlyList<string> Inputs { get; init; }

    public required IReadOnlyList<string> Outputs { get; init; }

    public required IReadOnlyList<OnnxAttributeValue> Attributes { get; init; }
}
