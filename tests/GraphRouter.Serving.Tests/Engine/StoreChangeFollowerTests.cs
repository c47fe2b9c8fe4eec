using System.Collections.Concurrent;
using GraphRouter.Serving.Engine;
using GraphRouter.Storage;
using GraphRouter.Storage.Changes;
using GraphRouter.Storage.Tests.Postgres;
using GraphRouter.TestSupport;
using Npgsql;

namespace GraphRouter.Serving.Tests.Engine;

/// <summary>
/// The follower on a real PostgreSQL database, where concurrent transactions commit out of sequence order: a
/// change whose sequence was taken first but committed last is still applied, and a sequence taken by a
/// transaction that rolled back is given up after the grace period, with a resync. The out-of-order
/// transactions are raw SQL on a connection of the test's own, as a second instance's would be.
/// </summary>
[RequiresPostgres]
public sealed class StoreChangeFollowerTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    private readonly ConcurrentQueue<StoreChange> _applied = new();
    private string _connectionString = "";
    private IGraphStore _store = null!;
    private StoreChangeFollower? _follower;
    private int _resyncs;

    public async Task InitializeAsync()
    {
        if (PostgresServer.UnavailableReason is not null && !PostgresServer.OnCi)
        {
            return;
        }
        _connectionString = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("follower");
        _store = await GraphStoreFactory.OpenAsync(StoreLocation.Postgres(_connectionString));
        await _store.MigrateAsync();
    }

    private StoreChangeFollower Follow(long after)
    {
        _follower = new StoreChangeFollower(_store, after, (changes, _) =>
        {
            foreach (var change in changes)
            {
                _applied.Enqueue(change);
            }
            return Task.CompletedTask;
        }, _ =>
        {
            Interlocked.Increment(ref _resyncs);
            return Task.CompletedTask;
        }, TextWriter.Null);
        _follower.Start();
        return _follower;
    }

    private static Task EventuallyAsync(Func<bool> condition, string what) => Eventually.HoldsAsync(condition, what, Generous);

    /// <summary>Opens a transaction that inserts a change row (taking the next sequence) and stays open.</summary>
    private async Task<(NpgsqlConnection Connection, NpgsqlTransaction Transaction)> HoldChangeAsync(string key)
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var insert = new NpgsqlCommand("INSERT INTO change_log (kind, key, origin, changed_at) VALUES ('feedback', $1, 'other-instance', now())", connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await insert.ExecuteNonQueryAsync();
        return (connection, transaction);
    }

    [StoreFact]
    public async Task A_change_committed_after_a_higher_sequence_is_still_applied()
    {
        var follower = Follow(await _store.GetLatestChangeSequenceAsync());
        var (connection, transaction) = await HoldChangeAsync("late-user");

        // A higher sequence commits first and is applied; the lower one is still in flight.
        await using (var other = await GraphStoreFactory.OpenAsync(_store.Location))
        {
            await other.SetSettingAsync("test.first", "1");
        }
        await EventuallyAsync(() => _applied.Any(c => c.Key == "test.first"), "the higher sequence is applied");
        Assert.DoesNotContain(_applied, c => c.Key == "late-user");

        await transaction.CommitAsync();
        await connection.DisposeAsync();

        await EventuallyAsync(() => _applied.Any(c => c.Key == "late-user"), "the late lower sequence is applied");
        await EventuallyAsync(() => follower.Position == _applied.Max(c => c.Sequence), "the position covers both");
        Assert.Equal(0, Volatile.Read(ref _resyncs));
        Assert.Single(_applied, c => c.Key == "late-user");
        Assert.Single(_applied, c => c.Key == "test.first");
    }

    [StoreFact]
    public async Task A_sequence_that_never_commits_is_given_up_after_the_grace_period_with_a_resync()
    {
        var follower = Follow(await _store.GetLatestChangeSequenceAsync());
        var (connection, transaction) = await HoldChangeAsync("rolled-back-user");
        await using (var other = await GraphStoreFactory.OpenAsync(_store.Location))
        {
            await other.SetSettingAsync("test.after-gap", "1");
        }
        await transaction.RollbackAsync();
        await connection.DisposeAsync();

        await EventuallyAsync(() => Volatile.Read(ref _resyncs) > 0, "the gap is given up with a resync");
        var latest = await _store.GetLatestChangeSequenceAsync();
        await EventuallyAsync(() => follower.Position >= latest, "the position moves past the gap");
        Assert.Contains(_applied, c => c.Key == "test.after-gap");
        Assert.DoesNotContain(_applied, c => c.Key == "rolled-back-user");
    }

    /// <summary>Stops the follower before the store closes under it.</summary>
    public void Dispose() => _follower?.Dispose();

    public async Task DisposeAsync()
    {
        Dispose();
        if (_connectionString.Length == 0)
        {
            return;
        }
        await _store.DisposeAsync();
        await (await PostgresServer.GetAsync()).DropDatabaseAsync(_connectionString);
    }
}
