using GraphRouter.Storage.TrainingRuns;
using Microsoft.Data.Sqlite;

namespace GraphRouter.Storage.Sqlite;

/// <summary>
/// The training run queue and its lifecycle on the SQLite store. Every state change is one
/// <c>BEGIN IMMEDIATE</c> transaction: the write lock is taken before the run is read, so a claim, a
/// report and a stale sweep from several stores or processes on the file take turns.
/// </summary>
public sealed partial class SqliteGraphStore
{
    private const string TrainingRunColumns =
        "id, seq, status, progress, created_at, started_at, finished_at, config_json, metrics_json, policy_version, error, worker_id, heartbeat_at, message";

    public async Task<TrainingRunRecord> QueueTrainingRunAsync(string configJson, CancellationToken cancellationToken = default)
    {
        TrainingRunQueue.ValidateConfig(configJson);
        var created = _time.GetUtcNow();
        var id = TrainingRunQueue.NewId(created);
        return await InWriteTransactionAsync(transaction =>
        {
            // The write lock is held (BEGIN IMMEDIATE), so MAX(seq) + 1 is the next position for every writer of the file.
            using var insert = Command($"""
                INSERT INTO training_runs (id, status, progress, created_at, config_json, seq)
                VALUES ($id, $s, 0, $t, $c, (SELECT COALESCE(MAX(seq), 0) + 1 FROM training_runs))
                RETURNING {TrainingRunColumns}
                """, transaction);
            insert.Parameters.AddWithValue("$id", id);
            insert.Parameters.AddWithValue("$s", TrainingRunStatus.Queued);
            insert.Parameters.AddWithValue("$t", created.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$c", configJson);
            using var reader = insert.ExecuteReader();
            return reader.Read() ? ReadTrainingRun(reader) : throw new InvalidOperationException("queueing a training run returned no row");
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<TrainingRunRecord>> GetTrainingRunsAsync(int last, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(last);
        return await GatedAsync(() =>
        {
            using var command = Command($"SELECT {TrainingRunColumns} FROM training_runs ORDER BY seq DESC LIMIT $n");
            command.Parameters.AddWithValue("$n", last);
            return ReadTrainingRuns(command);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<TrainingRunTally>> GetTrainingRunTalliesAsync(CancellationToken cancellationToken = default) =>
        await GatedAsync(() =>
        {
            // Times are Unix milliseconds; a run that has not both started and finished adds nothing to the sum.
            using var command = Command("""
                SELECT status, COUNT(*), COALESCE(SUM(finished_at - started_at), 0)
                FROM training_runs GROUP BY status ORDER BY status
                """);
            using var reader = command.ExecuteReader();
            var tallies = new List<TrainingRunTally>();
            while (reader.Read())
            {
                tallies.Add(new TrainingRunTally(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2) / 1000.0));
            }

            return (IReadOnlyList<TrainingRunTally>)tallies;
        }, cancellationToken);

    public async Task<TrainingRunRecord?> GetTrainingRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        TrainingRunLifecycle.ValidateRunId(runId);
        return await GatedAsync(() => FindTrainingRun(runId, null), cancellationToken);
    }

    public async Task<TrainingRunRecord?> ClaimTrainingRunAsync(string workerId, CancellationToken cancellationToken = default)
    {
        TrainingRunLifecycle.ValidateWorker(workerId);
        return await InWriteTransactionAsync(transaction =>
        {
            // One statement under the write lock: no other claimer can read the same queued run in between.
            using var claim = Command($"""
                UPDATE training_runs
                SET status = $running, started_at = $now, heartbeat_at = $now, worker_id = $w, message = NULL
                WHERE id = (SELECT id FROM training_runs WHERE status = $queued ORDER BY seq LIMIT 1)
                RETURNING {TrainingRunColumns}
                """, transaction);
            claim.Parameters.AddWithValue("$running", TrainingRunStatus.Running);
            claim.Parameters.AddWithValue("$queued", TrainingRunStatus.Queued);
            claim.Parameters.AddWithValue("$now", NowMilliseconds());
            claim.Parameters.AddWithValue("$w", workerId);
            return ReadTrainingRuns(claim).SingleOrDefault();
        }, cancellationToken);
    }

    public async Task<TrainingRunRecord> ReportTrainingRunProgressAsync(string runId, string workerId, double progress, string? message, string? metricsJson, CancellationToken cancellationToken = default)
    {
        TrainingRunLifecycle.ValidateRunId(runId);
        TrainingRunLifecycle.ValidateWorker(workerId);
        TrainingRunLifecycle.ValidateProgress(progress, message, metricsJson);
        return await InWriteTransactionAsync(transaction =>
        {
            RequireOwnedRunningRun(runId, workerId, transaction);
            using var update = Command($"""
                UPDATE training_runs
                SET progress = $p, message = $m, metrics_json = COALESCE($x, metrics_json), heartbeat_at = $now
                WHERE id = $id
                RETURNING {TrainingRunColumns}
                """, transaction);
            update.Parameters.AddWithValue("$id", runId);
            update.Parameters.AddWithValue("$p", progress);
            update.Parameters.AddWithValue("$m", (object?)message ?? DBNull.Value);
            update.Parameters.AddWithValue("$x", (object?)metricsJson ?? DBNull.Value);
            update.Parameters.AddWithValue("$now", NowMilliseconds());
            return ReadTrainingRuns(update).Single();
        }, cancellationToken);
    }

    public async Task<TrainingRunRecord> FinishTrainingRunAsync(string runId, string workerId, TrainingRunOutcome outcome, CancellationToken cancellationToken = default)
    {
        TrainingRunLifecycle.ValidateRunId(runId);
        TrainingRunLifecycle.ValidateWorker(workerId);
        TrainingRunLifecycle.ValidateOutcome(outcome);
        return await InWriteTransactionAsync(transaction =>
        {
            RequireOwnedRunningRun(runId, workerId, transaction);
            if (outcome.PolicyVersion is not null && FindPolicy(outcome.PolicyVersion, transaction) is null)
            {
                throw new StoreNotFoundException(StoreNotFoundException.PolicyVersion, [outcome.PolicyVersion]);
            }
            using var update = Command($"""
                UPDATE training_runs
                SET status = $s, finished_at = $now, progress = CASE WHEN $s = $failed THEN progress ELSE 1 END,
                    metrics_json = COALESCE($x, metrics_json), policy_version = $v, error = $e
                WHERE id = $id
                RETURNING {TrainingRunColumns}
                """, transaction);
            update.Parameters.AddWithValue("$id", runId);
            update.Parameters.AddWithValue("$s", outcome.Status);
            update.Parameters.AddWithValue("$failed", TrainingRunStatus.Failed);
            update.Parameters.AddWithValue("$now", NowMilliseconds());
            update.Parameters.AddWithValue("$x", (object?)outcome.MetricsJson ?? DBNull.Value);
            update.Parameters.AddWithValue("$v", (object?)outcome.PolicyVersion ?? DBNull.Value);
            update.Parameters.AddWithValue("$e", (object?)outcome.Error ?? DBNull.Value);
            return ReadTrainingRuns(update).Single();
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<TrainingRunRecord>> FailStaleTrainingRunsAsync(TimeSpan heartbeatTimeout, CancellationToken cancellationToken = default)
    {
        TrainingRunLifecycle.ValidateTimeout(heartbeatTimeout);
        return await InWriteTransactionAsync(transaction =>
        {
            var now = _time.GetUtcNow();
            List<TrainingRunRecord> stale;
            using (var find = Command($"SELECT {TrainingRunColumns} FROM training_runs WHERE status = $running AND heartbeat_at < $cutoff ORDER BY seq", transaction))
            {
                find.Parameters.AddWithValue("$running", TrainingRunStatus.Running);
                find.Parameters.AddWithValue("$cutoff", (now - heartbeatTimeout).ToUnixTimeMilliseconds());
                stale = ReadTrainingRuns(find);
            }
            var failed = new List<TrainingRunRecord>(stale.Count);
            using var update = Command($"""
                UPDATE training_runs SET status = $failed, finished_at = $now, error = $e WHERE id = $id
                RETURNING {TrainingRunColumns}
                """, transaction);
            update.Parameters.AddWithValue("$failed", TrainingRunStatus.Failed);
            update.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            var error = update.Parameters.Add("$e", SqliteType.Text);
            var id = update.Parameters.Add("$id", SqliteType.Text);
            foreach (var run in stale)
            {
                error.Value = TrainingRunLifecycle.StaleError(run.WorkerId, run.Heartbeat);
                id.Value = run.Id;
                failed.Add(ReadTrainingRuns(update).Single());
            }
            return failed;
        }, cancellationToken);
    }

    /// <summary>Throws unless <paramref name="runId"/> exists, is RUNNING and is owned by <paramref name="workerId"/>.</summary>
    private void RequireOwnedRunningRun(string runId, string workerId, SqliteTransaction transaction)
    {
        var run = FindTrainingRun(runId, transaction) ?? throw new StoreNotFoundException(StoreNotFoundException.TrainingRun, [runId]);
        if (TrainingRunLifecycle.Conflict(runId, workerId, run.Status, run.WorkerId) is { } conflict)
        {
            throw conflict;
        }
    }

    private TrainingRunRecord? FindTrainingRun(string runId, SqliteTransaction? transaction)
    {
        using var command = Command($"SELECT {TrainingRunColumns} FROM training_runs WHERE id = $id", transaction);
        command.Parameters.AddWithValue("$id", runId);
        return ReadTrainingRuns(command).SingleOrDefault();
    }

    private static List<TrainingRunRecord> ReadTrainingRuns(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var runs = new List<TrainingRunRecord>();
        while (reader.Read())
        {
            runs.Add(ReadTrainingRun(reader));
        }
        return runs;
    }

    private static TrainingRunRecord ReadTrainingRun(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Sequence = reader.GetInt64(1),
        Status = reader.GetString(2),
        Progress = reader.GetDouble(3),
        Created = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        Started = OptionalTime(reader, 5),
        Finished = OptionalTime(reader, 6),
        ConfigJson = reader.GetString(7),
        MetricsJson = OptionalString(reader, 8),
        PolicyVersion = OptionalString(reader, 9),
        Error = OptionalString(reader, 10),
        WorkerId = OptionalString(reader, 11),
        Heartbeat = OptionalTime(reader, 12),
        Message = OptionalString(reader, 13),
    };
}
