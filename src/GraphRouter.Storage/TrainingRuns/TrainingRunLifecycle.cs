using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphRouter.Storage.TrainingRuns;

/// <summary>
/// What both stores agree on when a worker claims, advances and ends a run: the checks made before a
/// transaction opens (so bad arguments change nothing), and the wording of the conflicts and of a stale
/// run's error.
/// </summary>
internal static class TrainingRunLifecycle
{
    /// <summary>The longest worker id and stage message a run keeps.</summary>
    public const int MaxWorkerIdLength = 200;
    public const int MaxMessageLength = 2000;

    public static void ValidateRunId(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        if (runId.Length == 0 || runId.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("training run: the run id is empty or contains a NUL character", nameof(runId));
        }
    }

    public static void ValidateWorker(string workerId)
    {
        ArgumentNullException.ThrowIfNull(workerId);
        if (string.IsNullOrWhiteSpace(workerId) || workerId.Length > MaxWorkerIdLength || workerId.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"training run: a worker id must be 1 to {MaxWorkerIdLength} characters, not blank, without NUL", nameof(workerId));
        }
    }

    public static void ValidateProgress(double progress, string? message, string? metricsJson)
    {
        if (!double.IsFinite(progress) || progress < 0 || progress > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(progress), progress, "training run: progress must lie within [0, 1]");
        }
        if (message is not null && (message.Length > MaxMessageLength || message.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"training run: the message must be at most {MaxMessageLength} characters without NUL", nameof(message));
        }
        ValidateMetrics(metricsJson, nameof(metricsJson));
    }

    public static void ValidateOutcome(TrainingRunOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!TrainingRunStatus.Ended.Contains(outcome.Status))
        {
            throw new ArgumentException(
                $"training run: a run ends {TrainingRunStatus.Succeeded}, {TrainingRunStatus.Rejected} or {TrainingRunStatus.Failed}, not '{outcome.Status}'", nameof(outcome));
        }
        ValidateMetrics(outcome.MetricsJson, nameof(outcome));
        if (outcome.PolicyVersion is not null && (string.IsNullOrWhiteSpace(outcome.PolicyVersion) || outcome.PolicyVersion.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException("training run: the policy version is blank or contains a NUL character", nameof(outcome));
        }
        if (outcome.Error is not null && outcome.Error.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("training run: the error contains a NUL character", nameof(outcome));
        }
    }

    /// <summary>Metrics are a JSON object (metric name to number); PostgreSQL's jsonb cannot hold a NUL escape.</summary>
    private static void ValidateMetrics(string? metricsJson, string parameter)
    {
        if (metricsJson is null)
        {
            return;
        }
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(metricsJson);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"training run: the metrics are not valid JSON: {e.Message}", parameter, e);
        }
        if (parsed is not JsonObject)
        {
            throw new ArgumentException("training run: the metrics are not a JSON object", parameter);
        }
        if (metricsJson.Contains("\\u0000", StringComparison.Ordinal) || metricsJson.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("training run: the metrics contain a NUL character", parameter);
        }
    }

    public static void ValidateTimeout(TimeSpan heartbeatTimeout)
    {
        if (heartbeatTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(heartbeatTimeout), heartbeatTimeout, "training run: the heartbeat timeout must be positive");
        }
    }

    /// <summary>Why a request on <paramref name="runId"/> by <paramref name="workerId"/> cannot proceed, given the run's status and owner; null when it can.</summary>
    public static StoreConflictException? Conflict(string runId, string workerId, string status, string? owner)
    {
        if (status != TrainingRunStatus.Running)
        {
            return new StoreConflictException($"training run '{runId}' is {status}, not {TrainingRunStatus.Running}; nothing was stored");
        }
        return owner == workerId
            ? null
            : new StoreConflictException($"training run '{runId}' is owned by worker '{owner}', not '{workerId}'; nothing was stored");
    }

    /// <summary>The error a run failed for a missing heartbeat shows.</summary>
    public static string StaleError(string? workerId, DateTimeOffset? heartbeat) =>
        $"worker {workerId ?? "(none recorded)"} stopped: no heartbeat since {Format(heartbeat)}";

    private static string Format(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : "its claim";
}
