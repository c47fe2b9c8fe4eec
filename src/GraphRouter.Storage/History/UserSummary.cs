namespace GraphRouter.Storage.History;

/// <summary>What the store knows of one user: how many interactions, and when the latest one occurred (null when none).</summary>
public sealed record UserSummary
{
    /// <summary>The tenant the user belongs to.</summary>
    public required string Tenant { get; init; }

    /// <summary>The application's user id within <see cref="Tenant"/>.</summary>
    public required string ExternalId { get; init; }
    public required int Interactions { get; init; }
    public DateTimeOffset? LastSeen { get; init; }
}
