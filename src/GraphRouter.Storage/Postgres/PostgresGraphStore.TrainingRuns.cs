using GraphRouter.Storage.TrainingRuns;
using Npgsql;
using NpgsqlTypes;

namespace GraphRouter.Storage.Postgres;

/// <summary>The training run queue on the PostgreSQL store.</summary>
public sealed partial class PostgresGraphStore
{
    private const string TrainingRunColumns = "id, seq, status, progress, created_at, started_at, finished_at, config_json::text, metrics_json::text, policy_version, error";

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
            });
        }
        return runs;
    }
}
