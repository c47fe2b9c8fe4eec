namespace GraphRouter.Storage;

/// <summary>What a store holds: nodes per type, edges per (source, relation, target) type, and interactions (comparisons).</summary>
public sealed record GraphStats
{
    public required IReadOnlyList<NodeTypeCount> Nodes { get; init; }
    public required IReadOnlyList<EdgeTypeCount> Edges { get; init; }
    public required long Interactions { get; init; }

    /// <summary>The count of one node type, by its schema name (User, Turn, Query, Llm, Response).</summary>
    public long NodeCount(string type) =>
        Nodes.FirstOrDefault(n => n.Type == type)?.Count ?? throw new ArgumentException($"unknown node type '{type}'", nameof(type));

    /// <summary>The count of one edge type, by its source and target node types.</summary>
    public long EdgeCount(string source, string target) =>
        Edges.FirstOrDefault(e => e.Source == source && e.Target == target)?.Count
        ?? throw new ArgumentException($"unknown edge type {source}->{target}", nameof(source));
}
