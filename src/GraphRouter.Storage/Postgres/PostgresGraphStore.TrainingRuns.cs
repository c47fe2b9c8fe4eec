using System.Data;
using GraphRouter.Storage.TrainingRuns;
using Npgsql;
using NpgsqlTypes;

namespace GraphRouter.Storage.Postgres;

/// <summary>
/// The training run queue and its lifecycle on the PostgreSQL store. A claim is one statement that locks
/// the oldest queued run it can (<c>FOR UPDATE SKIP LOCKED</c>), so concurrent claimers on any instance
/// each take a different run without waiting on one another; a report, a finish or a stale sweep locks
/// the rows it changes before checking their state.
/// </summary>
public sealed partial class PostgresGraphStore
{
    private const string TrainingRunColumns =
        "id, seq, status, progress, created_at, started_at, finished_at, config_json::text, metrics_json::text, policy_version, error, worker_id, heartbeat_at, message";

    public async Task<TrainingRunRecord> QueueTrainingRunAsync(string configJson, CancellationToken cancellationToken = default)
    {
        TrainingRunQueue.ValidateConfig(configJson);
        var created = _time.GetUtcNow();
        // One statement, so one transaction; seq comes from the identity sequence.
        await using var command = _dataSource.CreateCommand($"""
            INSERT INTO training_runs (id, status, progress, created_at, config_json)
            VALUES ($1, $2, 0, $3, $4)
            RETURNING {TrainingRunColumns}
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = TrainingRunQueue.NewId(created) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = TrainingRunStatus.Queued });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = created.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = configJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
        return (await ReadTrainingRunsAsync(command, cancellationToken)).Single();
    }

    public async Task<IReadOnlyList<TrainingRunRecord>> GetTrainingRunsAsync(int last, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(last);
        await using var command = _dataSource.CreateCommand($"SELECT {TrainingRunColumns} FROM training_runs ORDER BY seq DESC LIMIT $1");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = last });
        return await ReadTrainingRunsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<TrainingRunTally>> GetTrainingRunTalliesAsync(CancellationToken cancellationToken = default)
    {
        // A run that has not both started and finished adds nothing to the sum.
        await using var command = _dataSource.CreateCommand("""
            SELECT status, COUNT(*),
                   COALESCE(SUM(EXTRACT(EPOCH FROM finished_at - started_at)), 0)::float8
            FROM training_runs GROUP BY status ORDER BY status COLLATE "C"
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tallies = new List<TrainingRunTally>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tallies.Add(new TrainingRunTally(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2)));
        }

        return tallies;
    }

    public async Task<TrainingRunRecord?> GetTrainingRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        TrainingRunLifecycle.ValidateRunId(runId);
        await using var command = _dataSource.CreateCommand($"SELECT {TrainingRunColumns} FROM training_runs WHERE id = $1");
        command.Parameters.Add(RunText(runId));
        return (await ReadTrainingRunsAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<TrainingRunRecord?> ClaimTrainingRunAsync(string workerId, CancellationToken cancellationToken = default)
    {
        TrainingRunLifecycle.ValidateWorker(workerId);
        // One statement, so one transaction. A run locked by a concurrent claimer is skipped; a locked run
        // that the claimer has since made RUNNING fails the re-checked status and is not returned twice.
        await using var command = _dataSource.CreateCommand($"""
            UPDATE training_runs
            SET status = $1, started_at = $3, heartbeat_at = $3, worker_id = $4, message = NULL
            WHERE id = (SELECT id FROM training_runs WHERE status = $2 ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
              AND status = $2
            RETURNING {TrainingRunColumns}
            """);
        command.Parameters.Add(RunText(TrainingRunStatus.Running));
        command.Parameters.Add(RunText(TrainingRunStatus.Queued));
        command.Parameters.Add(RunTime(_time.GetUtcNow()));
        command.Parameters.Add(RunText(workerId));
        return (await ReadTrainingRunsAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<TrainingRunRecord> ReportTrainingRunProgressAsync(string runId, string workerId, double progress, string? message, string? metricsJson, CancellationToken cancellationToken = default)
    {
        TrainingRunLifecycle.ValidateRunId(runId);
        TrainingRunLifecycle.ValidateWorker(workerId);
        TrainingRunLifecycle.ValidateProgress(progress, message, metricsJson);
        return await InOwnedRunTransactionAsync(runId, workerId, async (connection, transaction) =>
        {
            await using var update = new NpgsqlCommand($"""
                UPDATE training_runs
                SET progress = $2, message = $3, metrics_json = COALESCE($4, metrics_json), heartbeat_at = $5
                WHERE id = $1
                RETURNING {TrainingRunColumns}
                """, connection, transaction);
            update.Parameters.Add(RunText(runId));
            update.Parameters.Add(new NpgsqlParameter<double> { TypedValue = progress });
            update.Parameters.Add(RunOptionalText(message));
            update.Parameters.Add(RunOptionalJson(metricsJson));
            update.Parameters.Add(RunTime(_time.GetUtcNow()));
            return (await ReadTrainingRunsAsync(update, cancellationToken)).Single();
        }, cancellationToken);
    }

    public async Task<TrainingRunRecord> FinishTrainingRunAsync(string runId, string workerId, TrainingRunOutcome outcome, CancellationToken cancellationToken = default)
    {
        TrainingRunLifecycle.ValidateRunId(runId);
        TrainingRunLifecycle.ValidateWorker(workerId);
        TrainingRunLifecycle.ValidateOutcome(outcome);
        return await InOwnedRunTransactionAsync(runId, workerId, async (connection, transaction) =>
        {
            if (outcome.PolicyVersion is not null && await FindPolicyAsync(connection, transaction, outcome.PolicyVersion, cancellationToken) is null)
            {
                throw new StoreNotFoundException(StoreNotFoundException.PolicyVersion, [outcome.PolicyVersion]);
            }
            await using var update = new NpgsqlCommand($"""
                UPDATE training_runs
                SET status = $2, finished_at = $3, progress = CASE WHEN $2 = $4 THEN progress ELSE 1 END,
                    metrics_json = COALESCE($5, metrics_json), policy_version = $6, error = $7
                WHERE id = $1
                RETURNING {TrainingRunColumns}
                """, connection, transaction);
            update.Parameters.Add(RunText(runId));
            update.Parameters.Add(RunText(outcome.Status));
            update.Parameters.Add(RunTime(_time.GetUtcNow()));
            update.Parameters.Add(RunText(TrainingRunStatus.Failed));
            update.Parameters.Add(RunOptionalJson(outcome.MetricsJson));
            update.Parameters.Add(RunOptionalText(outcome.PolicyVersion));
            update.Parameters.Add(RunOptionalText(outcome.Error));
            return (await ReadTrainingRunsAsync(update, cancellationToken)).Single();
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<TrainingRunRecord>> FailStaleTrainingRunsAsync(TimeSpan heartbeatTimeout, CancellationToken cancellationToken = default)
    {
        TrainingRunLifecycle.ValidateTimeout(heartbeatTimeout);
        var now = _time.GetUtcNow();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        // FOR UPDATE re-checks the condition on the latest row version: a run whose worker reported
        // progress meanwhile is no longer stale and is left alone.
        List<TrainingRunRecord> stale;
        await using (var find = new NpgsqlCommand($"""
            SELECT {TrainingRunColumns} FROM training_runs WHERE status = $1 AND heartbeat_at < $2 ORDER BY seq FOR UPDATE
            """, connection, transaction))
        {
            find.Parameters.Add(RunText(TrainingRunStatus.Running));
            find.Parameters.Add(RunTime(now - heartbeatTimeout));
            stale = await ReadTrainingRunsAsync(find, cancellationToken);
        }
        var failed = new List<TrainingRunRecord>(stale.Count);
        foreach (var run in stale)
        {
            await using var update = new NpgsqlCommand($"""
                UPDATE training_runs SET status = $2, finished_at = $3, error = $4 WHERE id = $1
                RETURNING {TrainingRunColumns}
                """, connection, transaction);
            update.Parameters.Add(RunText(run.Id));
            update.Parameters.Add(RunText(TrainingRunStatus.Failed));
            update.Parameters.Add(RunTime(now));
            update.Parameters.Add(RunText(TrainingRunLifecycle.StaleError(run.WorkerId, run.Heartbeat)));
            failed.Add((await ReadTrainingRunsAsync(update, cancellationToken)).Single());
        }
        await transaction.CommitAsync(cancellationToken);
        return failed;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction after locking <paramref name="runId"/>'s row and
    /// checking that it exists, is RUNNING and is owned by <paramref name="workerId"/>; commits when it returns.
    /// </summary>
    private async Task<TrainingRunRecord> InOwnedRunTransactionAsync(
        string runId, string workerId, Func<NpgsqlConnection, NpgsqlTransaction, Task<TrainingRunRecord>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        await using (var find = new NpgsqlCommand("SELECT status, worker_id FROM training_runs WHERE id = $1 FOR UPDATE", connection, transaction))
        {
            find.Parameters.Add(RunText(runId));
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new StoreNotFoundException(StoreNotFoundException.TrainingRun, [runId]);
            }
            var status = reader.GetString(0);
            var owner = reader.IsDBNull(1) ? null : reader.GetString(1);
            if (TrainingRunLifecycle.Conflict(runId, workerId, status, owner) is { } conflict)
            {
                throw conflict;
            }
        }
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static NpgsqlParameter<string> RunText(string value) => new() { TypedValue = value };

    private static NpgsqlParameter RunOptionalText(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter RunOptionalJson(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private static NpgsqlParameter<DateTimeOffset> RunTime(DateTimeOffset value) => new() { TypedValue = value.ToUniversalTime() };

    private static async Task<List<TrainingRunRecord>> ReadTrainingRunsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<TrainingRunRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new TrainingRunRecord
            {
                Id = reader.GetString(0),
                Sequence = reader.GetInt64(1),
                Status = reader.GetString(2),
                Progress = reader.GetDouble(3),
                Created = reader.GetFieldValue<DateTimeOffset>(4),
                Started = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                Finished = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                ConfigJson = reader.GetString(7),
                MetricsJson = reader.IsDBNull(8) ? null : reader.GetString(8),
                PolicyVersion = reader.IsDBNull(9) ? null : reader.GetString(9),
                Error = reader.IsDBNull(10) ? null : reader.GetString(10),
                WorkerId = reader.IsDBNull(11) ? null : reader.GetString(11),
                Heartbeat = reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
                Message = reader.IsDBNull(13) ? null : reader.GetString(13),
            });
        }
        return runs;
    }
}
