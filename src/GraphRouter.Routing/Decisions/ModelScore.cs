namespace GraphRouter.Routing.Decisions;

/// <summary>One considered candidate of a <see cref="RouteDecision"/> (the GraphQL <c>ModelScore</c>).</summary>
public sealed record ModelScore
{
    public required string Model { get; init; }
    /// <summary>The model's predicted preference score of this user for this model on this query, before cost.</summary>
    public required double Score { get; init; }
    /// <summary>Softmax of <see cref="Score"/> over the considered candidates: P(the user prefers it over the others).</summary>
    public required double Probability { get; init; }
    public required double? ExpectedCostUsd { get; init; }
    /// <summary><see cref="Probability"/> minus costWeight times <see cref="ExpectedCostUsd"/> (an unknown cost counts as 0); the ranking's order.</summary>
    public required double Utility { get; init; }
}
