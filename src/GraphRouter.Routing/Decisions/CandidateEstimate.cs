namespace GraphRouter.Routing.Decisions;

/// <summary>
/// What the engine knows about one registered model for one (user, query): the preference model's score,
/// the expected cost (null when unknown) and whether the model is available now.
/// </summary>
public sealed record CandidateEstimate
{
    public required string Model { get; init; }
    public required double Score { get; init; }
    public required double? ExpectedCostUsd { get; init; }
    public bool Available { get; init; } = true;
}
