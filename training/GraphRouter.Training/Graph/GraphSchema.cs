namespace GraphRouter.Training.Graph;

/// <summary>
/// The single-turn graph: node types and the (source, relation, destination) triples the model is built
/// from. Multi-turn mode would add Turn -> Turn. Every layer and batch builder reads these, never literals.
/// </summary>
public static class GraphSchema
{
    public static Relation QueryToTurn { get; } = new(NodeType.Query, "asked_in", NodeType.Turn);
    public static Relation LlmToTurn { get; } = new(NodeType.Llm, "answered_in", NodeType.Turn);
    public static Relation ResponseToTurn { get; } = new(NodeType.Response, "rated_in", NodeType.Turn);
    public static Relation TurnToUser { get; } = new(NodeType.Turn, "taken_by", NodeType.User);

    public static IReadOnlyList<NodeType> NodeTypes { get; } = Enum.GetValues<NodeType>();

    /// <summary>Every relation, in a fixed order: its index is the relation's id in the model's parameters.</summary>
    public static IReadOnlyList<Relation> Relations { get; } = [QueryToTurn, LlmToTurn, ResponseToTurn, TurnToUser];

    /// <summary>The node types that receive messages (and are updated by each layer), in update order.</summary>
    public static IReadOnlyList<NodeType> Destinations { get; } = [NodeType.Turn, NodeType.User];

    public static int IndexOf(Relation relation)
    {
        for (var i = 0; i < Relations.Count; i++)
        {
            if (Relations[i] == relation)
            {
                return i;
            }
        }
        throw new ArgumentException($"relation {relation} is not in the schema", nameof(relation));
    }

    public static IEnumerable<(int Index, Relation Relation)> Into(NodeType destination) =>
        Relations.Select((r, i) => (i, r)).Where(x => x.r.Destination == destination);
}
