namespace GraphRouter.Routing.Decisions;

/// <summary>Who and what informed the scores: the active policy and how much the engine knew of the user.</summary>
public sealed record DecisionContext
{
    public required string PolicyVersion { get; init; }
    public required bool UserKnown { get; init; }
    public required int UserInteractions { get; init; }
}
