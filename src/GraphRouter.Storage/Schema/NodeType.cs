namespace GraphRouter.Storage.Schema;

/// <summary>A node type of the graph and the table that holds its nodes, one row per node.</summary>
public sealed record NodeType
{
    public required string Name { get; init; }
    public required string Table { get; init; }
    public required IReadOnlyList<string> NaturalKey { get; init; }
    public string Description { get; init; } = "";
    public required IReadOnlyList<NodeProperty> Properties { get; init; }
}
