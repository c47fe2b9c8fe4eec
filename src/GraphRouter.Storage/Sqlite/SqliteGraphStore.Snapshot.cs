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
        var snapshot = await SnapshotReader.ReadAsync(
            connection, transaction, (r, column) => DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(column)), Location, _time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return snapshot;
    }
}
