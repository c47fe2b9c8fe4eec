namespace GraphRouter.Storage.TrainingRuns;

/// <summary>The states of a training run, as the API shows them.</summary>
public static class TrainingRunStatus
{
    public const string Queued = "QUEUED";
    public const string Running = "RUNNING";
    public const string Succeeded = "SUCCEEDED";
    public const string Rejected = "REJECTED";
    public const string Failed = "FAILED";

    /// <summary>Every status, in the order a run passes through them.</summary>
    public static IReadOnlyList<string> All { get; } = [Queued, Running, Succeeded, Rejected, Failed];

    /// <summary>The statuses a run ends in.</summary>
    public static IReadOnlyList<string> Ended { get; } = [Succeeded, Rejected, Failed];
}
