namespace GraphRouter.Routing.Decisions;

/// <summary>
/// The answer to one route request (the GraphQL <c>RouteDecision</c>, less <c>decisionId</c>, which the
/// service assigns when it records the decision).
/// </summary>
public sealed record RouteDecision
{
    /// <summary>The chosen model: the first of <see cref="Ranking"/>.</summary>
    public required string Model { get; init; }
    /// <summary>Every considered candidate (requested, registered, available, within the cost limit), best utility first.</summary>
    public required IReadOnlyList<ModelScore> Ranking { get; init; }
    public required string PolicyVersion { get; init; }
    public required bool UserKnown { get; init; }
    public required int UserInteractions { get; init; }
    /// <summary>Unavailable models that would have ranked above <see cref="Model"/>, best first.</summary>
    public required IReadOnlyList<string> FallbackFrom { get; init; }
    /// <summary>Models left out because their expected cost exceeds the request's maxCostUsd.</summary>
    public required IReadOnlyList<string> ExcludedByCost { get; init; }
    public required double CostWeight { get; init; }
    public required string Explanation { get; init; }
}
