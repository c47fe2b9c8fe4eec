namespace GraphRouter.Storage.Tests.Contract;

/// <summary>Equal stats: the same counts for the same node and edge types.</summary>
public sealed class StatsComparer : IEqualityComparer<GraphStats>
{
    public static StatsComparer Instance { get; } = new();

    public bool Equals(GraphStats? x, GraphStats? y) =>
        x is not null && y is not null
        && x.Nodes.SequenceEqual(y.Nodes)
        && x.Edges.SequenceEqual(y.Edges)
        && x.Interactions == y.Interactions;

    public int GetHashCode(GraphStats obj) => obj.Interactions.GetHashCode();
}
