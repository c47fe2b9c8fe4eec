using GraphRouter.Storage.TrainingRuns;
using Microsoft.Data.Sqlite;

namespace GraphRouter.Storage.Sqlite;

/// <summary>The training run queue on the SQLite store.</summary>
public sealed partial class SqliteGraphStore
{
    private const string TrainingRunColumns = "id, seq, status, progress, created_at, started_at, finished_at, config_json, metrics_json, policy_version, error";

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
            using var reader = command.ExecuteReader();
            var runs = new List<TrainingRunRecord>();
            while (reader.Read())
            {
                runs.Add(ReadTrainingRun(reader));
            }
            return runs;
        }, cancellationToken);
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
    };
}
