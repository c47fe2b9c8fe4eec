namespace GraphRouter.Storage.TrainingRuns;

/// <summary>The states of a training run, as the API shows them.</summary>
public static class TrainingRunStatus
{
    public const string Queued = "QUEUED";
    public const string Running = "RUNNING";
    public const string Succeeded = "SUCCEEDED";
    public const string Rejected = "REJECTED";
    public const string Failed = "FAILED";
}
