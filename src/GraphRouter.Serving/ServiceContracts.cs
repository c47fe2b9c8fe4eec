namespace GraphRouter.Serving;

/// <summary>GraphQL <c>RouteInput</c>.</summary>
public sealed record RouteCommand
{
    public required string UserId { get; init; }
    public required string Query { get; init; }
    public string? ConversationId { get; init; }
    public IReadOnlyList<string>? Candidates { get; init; }
    /// <summary>Null: the caller's tenant's default cost weight, else the deployment's.</summary>
    public double? CostWeight { get; init; }
    public double? MaxCostUsd { get; init; }
}

/// <summary>GraphQL <c>RouteDecision</c>.</summary>
public sealed record RouteResult
{
    public required string DecisionId { get; init; }
    public required string Model { get; init; }
    public required IReadOnlyList<ModelScoreView> Ranking { get; init; }
    public required string PolicyVersion { get; init; }
    public required bool UserKnown { get; init; }
    public required int UserInteractions { get; init; }
    public required IReadOnlyList<string> FallbackFrom { get; init; }
    public required string Explanation { get; init; }
}

/// <summary>GraphQL <c>ModelScore</c>.</summary>
public sealed record ModelScoreView
{
    public required string Model { get; init; }
    public required double Score { get; init; }
    public required double Probability { get; init; }
    public double? ExpectedCostUsd { get; init; }
    public required double Utility { get; init; }
}

/// <summary>GraphQL <c>FeedbackInput</c>.</summary>
public sealed record FeedbackCommand
{
    public required string IdempotencyKey { get; init; }
    public required string UserId { get; init; }
    public string? ConversationId { get; init; }
    public int Step { get; init; }
    public required string Query { get; init; }
    public required IReadOnlyList<RatedResponseCommand> Responses { get; init; }
    public string? DecisionId { get; init; }
}

/// <summary>GraphQL <c>RatedResponseInput</c>.</summary>
public sealed record RatedResponseCommand
{
    public required string Model { get; init; }
    public required double Rating { get; init; }
    public string? Text { get; init; }
    public double? CostUsd { get; init; }
}

/// <summary>GraphQL <c>FeedbackResult</c>.</summary>
public sealed record FeedbackResult
{
    public required bool Accepted { get; init; }
    public required bool Duplicate { get; init; }
    public required int UserInteractions { get; init; }
}

/// <summary>GraphQL <c>ModelInput</c>: prices in USD per million tokens.</summary>
public sealed record ModelCommand
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public double? InputPricePerMillion { get; init; }
    public double? OutputPricePerMillion { get; init; }
}

/// <summary>GraphQL <c>Model</c>.</summary>
public sealed record ModelView
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public double? InputPricePerMillion { get; init; }
    public double? OutputPricePerMillion { get; init; }
    public required bool Available { get; init; }
    /// <summary>Whether the active policy has a learned vector for it (a model it cannot score is never routed to).</summary>
    public required bool KnownToPolicy { get; init; }
}

/// <summary>GraphQL <c>User</c>.</summary>
public sealed record UserView
{
    public required string Id { get; init; }
    public required int Interactions { get; init; }
    public DateTimeOffset? LastSeen { get; init; }
    /// <summary>L2 norm of the user's current embedding under the active policy; null when no policy is loaded.</summary>
    public double? EmbeddingNorm { get; init; }
}

/// <summary>GraphQL <c>Policy</c>.</summary>
public sealed record PolicyView
{
    public required string Version { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required bool Active { get; init; }
    public required string DataSnapshot { get; init; }
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }
    public DateTimeOffset? ActivatedAt { get; init; }
}

/// <summary>GraphQL <c>TrainingInput</c>: an optional config name/path and free-form note.</summary>
public sealed record TrainingCommand
{
    public string? Config { get; init; }
    public bool? WarmStart { get; init; }
}

/// <summary>GraphQL <c>TrainingRun</c>.</summary>
public sealed record TrainingRunView
{
    public required string Id { get; init; }
    /// <summary>QUEUED, RUNNING, SUCCEEDED, REJECTED or FAILED.</summary>
    public required string Status { get; init; }
    public required double Progress { get; init; }
    public required DateTimeOffset Created { get; init; }
    public DateTimeOffset? Started { get; init; }
    public DateTimeOffset? Finished { get; init; }
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }
    public string? PolicyVersion { get; init; }
    public string? Error { get; init; }
}

/// <summary>What /readyz reports.</summary>
public sealed record Readiness
{
    public required bool Ready { get; init; }
    public string? PolicyVersion { get; init; }
    public required bool StoreAnswers { get; init; }
    public string? Reason { get; init; }
}
