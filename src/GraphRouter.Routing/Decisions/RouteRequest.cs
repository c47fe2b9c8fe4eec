namespace GraphRouter.Routing.Decisions;

/// <summary>The per-request part of a route: the query, the allowed models and the cost rule's knobs.</summary>
public sealed record RouteRequest
{
    public required string Query { get; init; }
    /// <summary>Allowed model names; null means every registered, available model.</summary>
    public IReadOnlyList<string>? Candidates { get; init; }
    /// <summary>Lambda in utility = probability - lambda * costUsd; 0 routes purely by the user's taste.</summary>
    public required double CostWeight { get; init; }
    /// <summary>Models whose expected cost exceeds it are excluded; a model whose cost is unknown is kept.</summary>
    public double? MaxCostUsd { get; init; }
}
