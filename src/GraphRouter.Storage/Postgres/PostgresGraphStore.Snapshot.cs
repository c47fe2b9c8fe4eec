using System.Data;
using GraphRouter.Core.Domain;
using GraphRouter.Storage.Snapshots;
using Npgsql;

namespace GraphRouter.Storage.Postgres;

/// <summary>The training snapshot on the PostgreSQL store.</summary>
public sealed partial class PostgresGraphStore
{
    /// <summary>
    /// Reads in one REPEATABLE READ, READ ONLY transaction: every statement sees the snapshot taken at the
    /// first, so writes committed during the read are all absent, and the read blocks no writer.
    /// </summary>
    public async Task<StoreSnapshot> ReadSnapshotAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        }
        var takenAt = _time.GetUtcNow();
        var snapshot = new SnapshotBuilder();

        long watermark;
        int count;
        await using (var feedback = new NpgsqlCommand(SnapshotSql.Feedback, connection, transaction))
        await using (var reader = await feedback.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            count = checked((int)reader.GetInt64(0));
            watermark = reader.GetInt64(1);
        }
        await ReadRowsAsync(connection, transaction, SnapshotSql.Llms, r => snapshot.AddLlm(new LlmInfo
        {
            Name = r.GetString(0),
            Vendor = r.GetString(1),
            Description = r.GetString(2),
            InputPricePerMillion = r.IsDBNull(3) ? null : r.GetDouble(3),
            OutputPricePerMillion = r.IsDBNull(4) ? null : r.GetDouble(4),
        }), cancellationToken);
        await ReadRowsAsync(connection, transaction, SnapshotSql.Queries,
            r => snapshot.AddQuery(new QueryInfo { Id = r.GetString(0), Task = r.GetString(1), Text = r.GetString(2) }), cancellationToken);
        await ReadRowsAsync(connection, transaction, SnapshotSql.Outcomes, r => snapshot.AddOutcome(new Outcome
        {
            QueryId = r.GetString(0),
            Llm = r.GetString(1),
            Score = r.GetDouble(2),
            CostUsd = r.GetDouble(3),
            Response = r.GetString(4),
        }), cancellationToken);
        await ReadRowsAsync(connection, transaction, SnapshotSql.Interactions,
            r => snapshot.AddInteraction(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetFieldValue<DateTimeOffset>(4), r.GetString(5)),
            cancellationToken);
        await ReadRowsAsync(connection, transaction, SnapshotSql.Turns, r => snapshot.AddTurn(r.GetInt64(0), r.GetString(1), r.GetDouble(2)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return snapshot.Build(Location, watermark, count, takenAt);
    }

    private static async Task ReadRowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, Action<NpgsqlDataReader> row, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(reader);
        }
    }
}
