using System.Diagnostics;
using GraphRouter.Storage.Changes;
using Microsoft.Data.Sqlite;

namespace GraphRouter.Storage.Sqlite;

/// <summary>
/// The change feed (migration 0006) on the SQLite store. Rows are written inside the transaction (or the
/// feedback's savepoint) of the change they record, so an undone change leaves none. SQLite has no
/// notifications across processes: a waiter polls the log's highest sequence, a read of one index entry,
/// so that a commit by another process on the same file (e.g. <c>graphrouter policy activate</c> beside a
/// running server) is seen within a poll interval.
/// </summary>
public sealed partial class SqliteGraphStore
{
    /// <summary>How often <see cref="WaitForChangesAsync"/> looks at the file for a new change.</summary>
    internal static readonly TimeSpan ChangePollInterval = TimeSpan.FromMilliseconds(50);

    private SqliteCommand? _insertChange;
    private int _changesSincePrune;

    public string InstanceId { get; } = ChangeLog.NewInstanceId();

    /// <summary>How many of the latest change rows pruning keeps (<see cref="GraphStoreOptions.ChangeLogRetention"/>).</summary>
    private int ChangeLogRetention { get; init; } = GraphStoreOptions.Default.ChangeLogRetention;

    public async Task<long> GetLatestChangeSequenceAsync(CancellationToken cancellationToken = default) =>
        await GatedAsync(LatestChangeSequence, cancellationToken);

    private long LatestChangeSequence()
    {
        using var command = Command("SELECT COALESCE(MAX(seq), 0) FROM change_log");
        return (long)command.ExecuteScalar()!;
    }

    public async Task<IReadOnlyList<StoreChange>> GetChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ChangeLog.ValidateRead(afterSequence, limit);
        return await GatedAsync(() =>
        {
            using var command = Command("SELECT seq, kind, key, origin, changed_at FROM change_log WHERE seq > $after ORDER BY seq LIMIT $limit");
            command.Parameters.AddWithValue("$after", afterSequence);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var changes = new List<StoreChange>();
            while (reader.Read())
            {
                changes.Add(new StoreChange(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
            }
            return changes;
        }, cancellationToken);
    }

    public async Task WaitForChangesAsync(long afterSequence, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ChangeLog.ValidateWait(afterSequence, maxWait);
        var started = Stopwatch.GetTimestamp();
        while (await GetLatestChangeSequenceAsync(cancellationToken) <= afterSequence)
        {
            var remaining = maxWait - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }
            await Task.Delay(remaining < ChangePollInterval ? remaining : ChangePollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// Records a change in <paramref name="transaction"/> (the caller holds the gate), stamped with this store's
    /// instance id and clock; every so many of its own changes, prunes the log down to the retention.
    /// </summary>
    private void WriteChange(SqliteTransaction transaction, string kind, string key)
    {
        if (_insertChange is null)
        {
            _insertChange = _connection.CreateCommand();
            _insertChange.CommandText = "INSERT INTO change_log (kind, key, origin, changed_at) VALUES ($k, $key, $o, $t)";
            _insertChange.Parameters.Add("$k", SqliteType.Text);
            _insertChange.Parameters.Add("$key", SqliteType.Text);
            _insertChange.Parameters.Add("$o", SqliteType.Text);
            _insertChange.Parameters.Add("$t", SqliteType.Integer);
        }
        _insertChange.Transaction = transaction;
        _insertChange.Parameters[0].Value = kind;
        _insertChange.Parameters[1].Value = key;
        _insertChange.Parameters[2].Value = InstanceId;
        _insertChange.Parameters[3].Value = NowMilliseconds();
        _insertChange.ExecuteNonQuery();
        if (++_changesSincePrune >= ChangeLog.PruneEvery(ChangeLogRetention))
        {
            _changesSincePrune = 0;
            // seq is the rowid: a range delete off the primary key, cheap whatever the log's size.
            using var prune = Command("DELETE FROM change_log WHERE seq <= (SELECT MAX(seq) FROM change_log) - $keep", transaction);
            prune.Parameters.AddWithValue("$keep", ChangeLogRetention);
            prune.ExecuteNonQuery();
        }
    }
}
