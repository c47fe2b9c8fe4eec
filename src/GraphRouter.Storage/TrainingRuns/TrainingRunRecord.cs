namespace GraphRouter.Storage.TrainingRuns;

/// <summary>A row of <c>training_runs</c>: a batch retraining job, queued by <c>startTraining</c> and advanced by the worker.</summary>
public sealed record TrainingRunRecord
{
    public required string Id { get; init; }

    /// <summary>The queue order: larger is newer, unique, assigned by the store (migration 0003).</summary>
    public required long Sequence { get; init; }

    /// <summary>One of <see cref="TrainingRunStatus"/>.</summary>
    public required string Status { get; init; }

    /// <summary>0 to 1.</summary>
    public required double Progress { get; init; }

    public required DateTimeOffset Created { get; init; }
    public DateTimeOffset? Started { get; init; }
    public DateTimeOffset? Finished { get; init; }
    public required string ConfigJson { get; init; }
    public string? MetricsJson { get; init; }
    public string? PolicyVersion { get; init; }
    public string? Error { get; init; }

    /// <summary>The worker that claimed the run (<see cref="IGraphStore.ClaimTrainingRunAsync"/>); null while queued.</summary>
    public string? WorkerId { get; init; }

    /// <summary>When the owning worker last claimed or reported progress; a running run whose heartbeat is too old is failed as stale (migration 0005).</summary>
    public DateTimeOffset? Heartbeat { get; init; }

    /// <summary>The current stage as the worker last reported it, e.g. "epoch 3/8".</summary>
    public string? Message { get; init; }
}
