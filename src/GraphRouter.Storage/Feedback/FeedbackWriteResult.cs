namespace GraphRouter.Storage.Feedback;

/// <summary>What a feedback write did: stored it, or recognised a replay; and the user's interaction count after it.</summary>
public sealed record FeedbackWriteResult
{
    /// <summary>True when the key was already recorded with the same fingerprint: nothing was written.</summary>
    public required bool Duplicate { get; init; }

    /// <summary>How many interactions the user has after the call.</summary>
    public required int UserInteractions { get; init; }
}
