namespace GraphRouter.Training.Graph;

/// <summary>
/// Several users' history graphs concatenated into one (node indices offset per user), as plain arrays.
/// Node order: one <c>Query</c> per interaction, one <c>Turn</c> and one <c>Response</c> per rated
/// response, one <c>User</c> per history, and the catalog's <c>Llm</c>s shared by all users (sources are
/// never updated, so sharing them changes nothing).
/// </summary>
public sealed class GraphBatch
{
    public required int UserCount { get; init; }
    public required int QueryCount { get; init; }
    public required int TurnCount { get; init; }
    public required int LlmCount { get; init; }
    /// <summary>Row-major [QueryCount, QueryDimension]: the query encoder's vectors.</summary>
    public required float[] QueryFeatures { get; init; }
    public required int QueryDimension { get; init; }
    /// <summary>Row-major [TurnCount, ResponseDimension]: one row per Response node (Response i feeds Turn i).</summary>
    public required float[] ResponseFeatures { get; init; }
    public required int ResponseDimension { get; init; }
    /// <summary>Edges per relation, indexed like <see cref="GraphSchema.Relations"/>.</summary>
    public required IReadOnlyList<EdgeList> Edges { get; init; }
    /// <summary>Row-major [UserCount, ResponseDimension]: each user's Response rows summed and divided by (interactions + prior count).</summary>
    public required float[] UserStatistics { get; init; }
    /// <summary>How many interactions each user's graph holds.</summary>
    public required int[] HistoryLengths { get; init; }

    public int NodeCount(NodeType type) => type switch
    {
        NodeType.User => UserCount,
        NodeType.Turn => TurnCount,
        NodeType.Query => QueryCount,
        NodeType.Llm => LlmCount,
        NodeType.Response => TurnCount,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown node type"),
    };
}
