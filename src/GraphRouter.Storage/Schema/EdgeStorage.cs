namespace GraphRouter.Storage.Schema;

/// <summary>
/// Where an edge type lives: a row of <see cref="Table"/> is one edge; <see cref="Path"/> is the chain of
/// references from that row to the other end (empty when the table is an edge table of its own, whose
/// <see cref="SourceColumn"/> and <see cref="TargetColumn"/> name both ends).
/// </summary>
public sealed record EdgeStorage
{
    public required string Table { get; init; }
    public string? SourceColumn { get; init; }
    public string? TargetColumn { get; init; }
    public required IReadOnlyList<EdgeHop> Path { get; init; }
}
