namespace GraphRouter.Training.Graph;

/// <summary>A directed edge type: messages flow from <see cref="Source"/> nodes to <see cref="Destination"/> nodes.</summary>
public sealed record Relation(NodeType Source, string Name, NodeType Destination)
{
    public override string ToString() => $"{Source}-{Name}->{Destination}";
}
