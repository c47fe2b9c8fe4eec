using GraphRouter.Core.Domain;
using GraphRouter.Storage.Snapshots;
using Microsoft.Data.Sqlite;

namespace GraphRouter.Storage.Sqlite;

/// <summary>The training snapshot on the SQLite store.</summary>
public sealed partial class SqliteGraphStore
{
    /// <summary>
    /// Reads on a read-only connection of its own, in one transaction: in WAL mode every read of it sees
    /// the commit that was latest at its first read, writers go on meanwhile, and this store's other
    /// operations do not wait behind the snapshot.
    /// </summary>
    public async Task<StoreSnapshot> ReadSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Location.Target,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 30,
        };
        await using var connection = new SqliteConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        // BEGIN DEFERRED: a read transaction, which takes no write lock (the connection could not).
        await using var transaction = connection.BeginTransaction(deferred: true);
        var takenAt = _time.GetUtcNow();
        var snapshot = new SnapshotBuilder();

        // The feedback counts first: the read transaction's view is fixed by its first read.
        long watermark;
        int count;
        await using (var feedback = Command(connection, transaction, SnapshotSql.Feedback))
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
            InputPricePerMillion = OptionalDouble(r, 3),
            OutputPricePerMillion = OptionalDouble(r, 4),
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
            r => snapshot.AddInteraction(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)), r.GetString(5)),
            cancellationToken);
        await ReadRowsAsync(connection, transaction, SnapshotSql.Turns, r => snapshot.AddTurn(r.GetInt64(0), r.GetString(1), r.GetDouble(2)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return snapshot.Build(Location, watermark, count, takenAt);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static async Task ReadRowsAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, Action<SqliteDataReader> row, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(reader);
        }
    }
}
