namespace GraphRouter.Storage.TrainingRuns;

/// <summary>How a worker ends a run it owns (<see cref="IGraphStore.FinishTrainingRunAsync"/>).</summary>
public sealed record TrainingRunOutcome
{
    /// <summary><see cref="TrainingRunStatus.Succeeded"/>, <see cref="TrainingRunStatus.Rejected"/> or <see cref="TrainingRunStatus.Failed"/>.</summary>
    public required string Status { get; init; }

    /// <summary>A JSON object of metric name to number; null keeps the metrics last reported with progress.</summary>
    public string? MetricsJson { get; init; }

    /// <summary>The policy version the run produced, when it registered one; it must be registered.</summary>
    public string? PolicyVersion { get; init; }

    /// <summary>Why the run failed or was rejected (shown as <c>TrainingRun.error</c>).</summary>
    public string? Error { get; init; }
}
