namespace GraphRouter.Storage.Schema;

/// <summary>A property (attribute) of a node type: the column that holds it, in the node's table unless <see cref="Table"/> says otherwise.</summary>
public sealed record NodeProperty
{
    public required string Name { get; init; }
    public required string Column { get; init; }
    public string? Table { get; init; }
}
