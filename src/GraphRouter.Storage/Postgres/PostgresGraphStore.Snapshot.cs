using System.Data;
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
        var snapshot = await SnapshotReader.ReadAsync(
            connection, transaction, (r, column) => r.GetFieldValue<DateTimeOffset>(column), Location, _time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return snapshot;
    }
}
