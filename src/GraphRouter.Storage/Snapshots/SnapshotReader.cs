using System.Data.Common;
using GraphRouter.Core.Domain;
using GraphRouter.Storage.Tenancy;

namespace GraphRouter.Storage.Snapshots;

/// <summary>
/// The reads of a snapshot, one backend-neutral pass over <see cref="SnapshotSql"/> inside the caller's read
/// transaction (the backend chooses the isolation that makes it consistent). Only how a stored time reads back
/// differs between the backends.
/// </summary>
internal static class SnapshotReader
{
    /// <param name="readTime">Reads the interaction time in the given column (SQLite: Unix milliseconds; PostgreSQL: timestamptz).</param>
    public static async Task<StoreSnapshot> ReadAsync(
        DbConnection connection, DbTransaction transaction, Func<DbDataReader, int, DateTimeOffset> readTime,
        StoreLocation location, DateTimeOffset takenAt, CancellationToken cancellationToken)
    {
        var snapshot = new SnapshotBuilder();
        // The feedback counts first: a read transaction's view is fixed by its first read.
        long watermark = 0;
        var count = 0;
        await ReadRowsAsync(connection, transaction, SnapshotSql.Feedback, r =>
        {
            count = checked((int)r.GetInt64(0));
            watermark = r.GetInt64(1);
        }, cancellationToken);
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
        var users = new List<TenantUser>();
        await ReadRowsAsync(connection, transaction, SnapshotSql.Users, r => users.Add(new TenantUser(r.GetString(0), r.GetString(1))), cancellationToken);
        var names = SnapshotUserNames.Assign(users);
        await ReadRowsAsync(connection, transaction, SnapshotSql.Interactions,
            r => snapshot.AddInteraction(r.GetInt64(0), names[new TenantUser(r.GetString(1), r.GetString(2))], r.GetString(3), r.GetInt32(4), readTime(r, 5), r.GetString(6)),
            cancellationToken);
        await ReadRowsAsync(connection, transaction, SnapshotSql.Turns, r => snapshot.AddTurn(r.GetInt64(0), r.GetString(1), r.GetDouble(2)), cancellationToken);
        return snapshot.Build(location, watermark, count, takenAt);
    }

    private static async Task ReadRowsAsync(DbConnection connection, DbTransaction transaction, string sql, Action<DbDataReader> row, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(reader);
        }
    }
}
