using GraphRouter.Storage.Changes;
using Npgsql;

namespace GraphRouter.Storage.Postgres;

/// <summary>
/// The change feed (migration 0006) on the PostgreSQL store. Rows are written inside the transaction of the
/// change they record; the table's trigger notifies <see cref="PostgresChangeListener.Channel"/> at commit.
/// Waiting goes through one <see cref="PostgresChangeListener"/> per store object, started on the first wait
/// (a store that never waits opens no extra connection).
/// </summary>
public sealed partial class PostgresGraphStore
{
    private readonly Lock _listenerLock = new();
    private PostgresChangeListener? _listener;
    private int _changesSincePrune;

    public string InstanceId { get; } = ChangeLog.NewInstanceId();

    /// <summary>How many of the latest change rows pruning keeps (<see cref="GraphStoreOptions.ChangeLogRetention"/>).</summary>
    private int ChangeLogRetention { get; init; } = GraphStoreOptions.Default.ChangeLogRetention;

    public async Task<long> GetLatestChangeSequenceAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT COALESCE(MAX(seq), 0) FROM change_log");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<StoreChange>> GetChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ChangeLog.ValidateRead(afterSequence, limit);
        await using var command = _dataSource.CreateCommand("SELECT seq, kind, key, origin, changed_at FROM change_log WHERE seq > $1 ORDER BY seq LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSequence });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var changes = new List<StoreChange>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new StoreChange(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }
        return changes;
    }

    public async Task WaitForChangesAsync(long afterSequence, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ChangeLog.ValidateWait(afterSequence, maxWait);
        PostgresChangeListener listener;
        lock (_listenerLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            listener = _listener ??= new PostgresChangeListener(Location.Target);
        }
        await listener.WaitAsync(afterSequence, maxWait, cancellationToken);
    }

    /// <summary>
    /// Records a change in the caller's transaction, stamped with this store's instance id and clock; every so
    /// many of its own changes, prunes the log down to the retention (a range delete on the primary key).
    /// </summary>
    private async Task WriteChangeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string kind, string key, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        var insert = new NpgsqlBatchCommand("INSERT INTO change_log (kind, key, origin, changed_at) VALUES ($1, $2, $3, $4)");
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = kind });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = InstanceId });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = _time.GetUtcNow().ToUniversalTime() });
        batch.BatchCommands.Add(insert);
        if (Interlocked.Increment(ref _changesSincePrune) % ChangeLog.PruneEvery(ChangeLogRetention) == 0)
        {
            var prune = new NpgsqlBatchCommand("DELETE FROM change_log WHERE seq <= (SELECT MAX(seq) FROM change_log) - $1");
            prune.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ChangeLogRetention });
            batch.BatchCommands.Add(prune);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> and records its change (when it names one) in one READ COMMITTED transaction on a connection of its own.</summary>
    private async Task<T> WithChangeAsync<T>(string kind, Func<NpgsqlConnection, NpgsqlTransaction, Task<(T Result, string? ChangedKey)>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        var (result, changedKey) = await work(connection, transaction);
        if (changedKey is not null)
        {
            await WriteChangeAsync(connection, transaction, kind, changedKey, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
