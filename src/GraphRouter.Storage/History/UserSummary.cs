namespace GraphRouter.Storage.History;

/// <summary>What the store knows of one user: how many interactions, and when the latest one occurred (null when none).</summary>
public sealed record UserSummary
{
    public required string ExternalId { get; init; }
    public required int Interactions { get; init; }
    public DateTimeOffset? LastSeen { get; init; }
}
