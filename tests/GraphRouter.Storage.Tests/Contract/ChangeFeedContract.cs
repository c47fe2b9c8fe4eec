using GraphRouter.Storage.Changes;
using GraphRouter.Storage.Policies;
using GraphRouter.Storage.Registry;
using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Storage.Tests.Contract;

/// <summary>
/// The change feed (migration 0006) on every backend: each committed change writes one row with its kind,
/// key and the writing store's instance id, in the change's own transaction (so what is undone leaves
/// none); another store object on the same database reads it and is woken by it; old rows are pruned.
/// </summary>
public abstract class ChangeFeedContract
{
    // Long enough never to elapse on a healthy machine; a wait that is not woken fails the test by hanging until then.
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    private readonly StoreFixture _fixture;

    protected ChangeFeedContract(StoreFixture fixture) => _fixture = fixture;

    /// <summary>A fresh store with the first two routerbench LLMs registered, and the change sequence after that.</summary>
    private async Task<(IGraphStore Store, long After)> StoreWithModelsAsync(GraphStoreOptions? options = null)
    {
        var store = await _fixture.CreateEmptyStoreAsync(options: options);
        await store.RegisterModelAsync(new ModelRegistration { Name = Feedbacks.Llms[0] });
        await store.RegisterModelAsync(new ModelRegistration { Name = Feedbacks.Llms[1] });
        return (store, await store.GetLatestChangeSequenceAsync());
    }

    private static PolicyRegistration Policy(string version, int day) => new()
    {
        Version = version,
        Created = new DateTimeOffset(2027, 5, 1, 8, 0, 0, TimeSpan.Zero).AddDays(day),
        Path = $"/policies/{version}",
        ManifestJson = $$$"""{"version": "{{{version}}}"}""",
    };

    private static IEnumerable<(string Kind, string Key)> KindsAndKeys(IEnumerable<StoreChange> changes) => changes.Select(c => (c.Kind, c.Key));

    [StoreFact]
    public async Task A_fresh_store_has_no_changes_and_each_write_adds_one_row_with_its_kind_key_and_origin()
    {
        var store = await _fixture.CreateEmptyStoreAsync();
        Assert.Equal(0, await store.GetLatestChangeSequenceAsync());
        Assert.Empty(await store.GetChangesAsync(0, 100));

        await store.RegisterModelAsync(new ModelRegistration { Name = Feedbacks.Llms[0] });
        await store.RegisterModelAsync(new ModelRegistration { Name = Feedbacks.Llms[1], Description = "second" });
        Assert.Null(await store.SetModelAvailabilityAsync("not-registered", false));
        await store.SetModelAvailabilityAsync(Feedbacks.Llms[1], false);
        await store.RecordFeedbackAsync(Feedbacks.Simple("k1", "alice", "what is 2+2?"));
        await store.RecordFeedbackAsync(Feedbacks.Simple("k1", "alice", "what is 2+2?"));
        await store.RegisterPolicyAsync(Policy("v1", 1));
        await store.RegisterPolicyAsync(Policy("v2", 2));
        await store.ActivatePolicyAsync("v1");
        await store.ActivatePolicyAsync("v2");
        await store.ActivatePolicyAsync("v2");
        await store.RollbackPolicyAsync();
        await store.SetSettingAsync(StoreSettings.DefaultCostWeight, "1.5");
        await store.CreateTenantAsync("acme");
        await Assert.ThrowsAsync<StoreConflictException>(() => store.CreateTenantAsync("acme"));
        await store.RecordFeedbackAsync(Feedbacks.Simple("k1", "alice", "what is 2+2?", tenant: "acme"));
        await store.SetTenantCostWeightAsync("acme", 0.25);
        await Assert.ThrowsAsync<StoreNotFoundException>(() => store.SetTenantCostWeightAsync("ghost", 0.25));
        await store.SetTenantCostWeightAsync("acme", null);

        var changes = await store.GetChangesAsync(0, 100);

        Assert.Equal(
            [
                (StoreChangeKind.Model, Feedbacks.Llms[0]), (StoreChangeKind.Model, Feedbacks.Llms[1]), (StoreChangeKind.Model, Feedbacks.Llms[1]),
                (StoreChangeKind.Feedback, "default/alice"),
                (StoreChangeKind.Policy, "v1"), (StoreChangeKind.Policy, "v2"), (StoreChangeKind.Policy, "v1"),
                (StoreChangeKind.Setting, StoreSettings.DefaultCostWeight),
                (StoreChangeKind.Tenant, "acme"), (StoreChangeKind.Feedback, "acme/alice"), (StoreChangeKind.Tenant, "acme"), (StoreChangeKind.Tenant, "acme"),
            ],
            KindsAndKeys(changes));
        Assert.All(changes, c => Assert.Equal(store.InstanceId, c.Origin));
        Assert.Equal(changes.Select(c => c.Sequence).Order(), changes.Select(c => c.Sequence));
        Assert.Equal(changes.Count, changes.Select(c => c.Sequence).Distinct().Count());
        Assert.Equal(changes[^1].Sequence, await store.GetLatestChangeSequenceAsync());
        Assert.All(changes, c => Assert.InRange(c.At, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1)));
    }

    [StoreFact]
    public async Task An_import_that_adds_writes_one_import_change_and_one_that_adds_nothing_writes_none()
    {
        var store = await _fixture.CreateEmptyStoreAsync();
        var slice = Datasets.MultiTurn(Datasets.BusiestUser(), 5);

        var added = await store.ImportAsync(slice);
        Assert.False(added.AddedNothing);
        var again = await store.ImportAsync(slice);
        Assert.True(again.AddedNothing);
        // an import that fails is rolled back whole, its change with it
        await Assert.ThrowsAnyAsync<Exception>(() => store.ImportAsync(Datasets.WithMissingResponse()));
        // the quality table adds models to the registry: instances must re-read their catalog
        Assert.False((await store.ImportQualityTableAsync(Datasets.QualityTable)).AddedNothing);

        var changes = await store.GetChangesAsync(0, 100);
        Assert.Equal([(StoreChangeKind.Import, slice.Name), (StoreChangeKind.Import, "quality-table")], KindsAndKeys(changes));
        Assert.Equal(store.InstanceId, changes[0].Origin);
    }

    [StoreFact]
    public async Task Reads_page_by_sequence()
    {
        var (store, after) = await StoreWithModelsAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.SetSettingAsync($"test.key{i}", "1");
        }

        var first = await store.GetChangesAsync(after, 2);
        var rest = await store.GetChangesAsync(first[^1].Sequence, 100);

        Assert.Equal(["test.key0", "test.key1"], first.Select(c => c.Key));
        Assert.Equal(["test.key2", "test.key3", "test.key4"], rest.Select(c => c.Key));
        Assert.Empty(await store.GetChangesAsync(rest[^1].Sequence, 100));
    }

    [StoreFact]
    public async Task Feedback_that_is_refused_or_a_replay_writes_no_change_even_when_committed_together_with_accepted_feedback()
    {
        var (store, after) = await StoreWithModelsAsync();
        await store.RecordFeedbackAsync(Feedbacks.Simple("first", "bob", "hello"));
        var afterFirst = await store.GetLatestChangeSequenceAsync();

        // Submitted together: on SQLite they share one group-commit transaction, each in its own savepoint.
        var attempts = new[]
        {
            store.RecordFeedbackAsync(Feedbacks.Simple("ok-1", "carol", "one")),
            store.RecordFeedbackAsync(Feedbacks.Create("unknown-model", "dave", "two", [Feedbacks.Rated("no-such-model", 5)])),
            store.RecordFeedbackAsync(Feedbacks.Simple("first", "bob", "hello")),
            store.RecordFeedbackAsync(Feedbacks.Simple("first", "bob", "a different payload under the same key")),
            store.RecordFeedbackAsync(Feedbacks.Simple("same-step", "bob", "another query", conversation: null) with { Conversation = FeedbackConventionsFor("first") }),
            store.RecordFeedbackAsync(Feedbacks.Simple("ok-2", "erin", "three")),
        };
        var outcomes = await Task.WhenAll(attempts.Select(async a =>
        {
            try
            {
                return (await a).Duplicate ? "duplicate" : "stored";
            }
            catch (Exception e) when (e is StoreConflictException or StoreNotFoundException)
            {
                return e.GetType().Name;
            }
        }));

        Assert.Equal(["stored", nameof(StoreNotFoundException), "duplicate", nameof(StoreConflictException), nameof(StoreConflictException), "stored"], outcomes);
        Assert.Equal([(StoreChangeKind.Feedback, "default/bob")], KindsAndKeys(await store.GetChangesAsync(after, 100)).Take(1));
        Assert.Equal([(StoreChangeKind.Feedback, "default/carol"), (StoreChangeKind.Feedback, "default/erin")], KindsAndKeys(await store.GetChangesAsync(afterFirst, 100)).Order());
    }

    /// <summary>The conversation a feedback without one is stored under, so another feedback can collide with its step.</summary>
    private static string FeedbackConventionsFor(string key) => GraphRouter.Storage.Feedback.FeedbackConventions.ConversationFor(key);

    [StoreFact]
    public async Task Another_store_on_the_same_database_reads_the_changes_and_sees_their_origin()
    {
        var (a, after) = await StoreWithModelsAsync();
        var b = await _fixture.OpenAgainAsync(a);

        await b.SetSettingAsync(StoreSettings.DefaultCostWeight, "2");
        await a.RecordFeedbackAsync(Feedbacks.Simple("k", "frank", "q"));

        var seenByA = await a.GetChangesAsync(after, 100);
        Assert.NotEqual(a.InstanceId, b.InstanceId);
        Assert.Equal([(StoreChangeKind.Setting, b.InstanceId), (StoreChangeKind.Feedback, a.InstanceId)], seenByA.Select(c => (c.Kind, c.Origin)));
        Assert.Equal(seenByA, await b.GetChangesAsync(after, 100));
    }

    [StoreFact]
    public async Task A_wait_is_woken_by_another_store_objects_commit()
    {
        var (a, _) = await StoreWithModelsAsync();
        var b = await _fixture.OpenAgainAsync(a);
        var latest = await a.GetLatestChangeSequenceAsync();

        var wait = a.WaitForChangesAsync(latest, Generous);
        await Task.Delay(300);
        Assert.False(wait.IsCompleted, "the wait returned before anything changed");
        await b.ActivatePolicyAsync((await b.RegisterPolicyAsync(Policy("v-wake", 1))).Version);
        await wait.WaitAsync(Generous + TimeSpan.FromMinutes(1));

        var changes = await a.GetChangesAsync(latest, 100);
        Assert.Equal([(StoreChangeKind.Policy, "v-wake")], KindsAndKeys(changes));
        Assert.Equal(b.InstanceId, changes[0].Origin);
    }

    [StoreFact]
    public async Task A_wait_returns_at_once_when_a_change_is_already_there_and_without_error_when_nothing_changes()
    {
        var (store, after) = await StoreWithModelsAsync();

        // The two model registrations lie after 0: no waiting (the generous limit would hang the test otherwise).
        await store.WaitForChangesAsync(after - 1, Generous).WaitAsync(Generous + TimeSpan.FromMinutes(1));
        await store.WaitForChangesAsync(after, TimeSpan.FromMilliseconds(100));
        await store.WaitForChangesAsync(after, TimeSpan.Zero);

        Assert.Empty(await store.GetChangesAsync(after, 10));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.WaitForChangesAsync(after, Generous, cancelled.Token));
    }

    [StoreFact]
    public async Task Bad_read_and_wait_arguments_are_refused()
    {
        var store = await _fixture.CreateEmptyStoreAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetChangesAsync(-1, 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetChangesAsync(0, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetChangesAsync(0, 10_001));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.WaitForChangesAsync(-1, TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.WaitForChangesAsync(0, TimeSpan.FromSeconds(-1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _fixture.CreateEmptyStoreAsync(options: new GraphStoreOptions { ChangeLogRetention = 0 }));
    }

    [StoreFact]
    public async Task Old_changes_are_pruned_down_to_the_retention()
    {
        var (store, _) = await StoreWithModelsAsync(new GraphStoreOptions { ChangeLogRetention = 5 });
        for (var i = 0; i < 30; i++)
        {
            await store.SetSettingAsync($"test.prune{i:00}", "0");
        }

        var left = await store.GetChangesAsync(0, 100);

        Assert.Equal(Enumerable.Range(25, 5).Select(i => $"test.prune{i:00}"), left.Select(c => c.Key));
        Assert.Equal(left[^1].Sequence, await store.GetLatestChangeSequenceAsync());
    }
}

public sealed class SqliteChangeFeedTests(SqliteStoreFixture fixture) : ChangeFeedContract(fixture), IClassFixture<SqliteStoreFixture>;

[RequiresPostgres]
public sealed class PostgresChangeFeedTests(PostgresStoreFixture fixture) : ChangeFeedContract(fixture), IClassFixture<PostgresStoreFixture>
{
    [StoreFact]
    public async Task A_waiter_is_still_woken_after_its_listening_connection_is_killed_and_it_listens_again()
    {
        var a = await fixture.CreateEmptyStoreAsync();
        var b = await fixture.OpenAgainAsync(a);
        var database = (await fixture.ReadAsync(a, "SELECT current_database()"))[0];
        // The first wait starts the listener; wait until its connection shows up, then kill it.
        await a.WaitForChangesAsync(0, TimeSpan.FromMilliseconds(10));
        var listenerQuery = $"SELECT pid FROM pg_stat_activity WHERE datname = '{database}' AND application_name = 'graphrouter-change-listener'";
        IReadOnlyList<string> pids;
        while ((pids = await fixture.ReadAsync(a, listenerQuery)).Count == 0)
        {
            await Task.Delay(50);
        }
        await fixture.ReadAsync(a, $"SELECT pg_terminate_backend({pids[0]})");

        // Woken while it reconnects (polling) or after (notification): either way the change is read.
        var latest = await a.GetLatestChangeSequenceAsync();
        var wait = a.WaitForChangesAsync(latest, TimeSpan.FromMinutes(2));
        await b.SetSettingAsync("test.after-drop", "1");
        while (true)
        {
            await wait.WaitAsync(TimeSpan.FromMinutes(3));
            if ((await a.GetChangesAsync(latest, 10)).Count > 0)
            {
                break;
            }
            wait = a.WaitForChangesAsync(latest, TimeSpan.FromMinutes(2));
        }
        Assert.Equal(["test.after-drop"], (await a.GetChangesAsync(latest, 10)).Select(c => c.Key));

        // It listens again: a new connection replaced the killed one, and it wakes a later wait.
        // Its new connection has listened and read the log's latest sequence (the last step of reconnecting).
        IReadOnlyList<string> again;
        while ((again = await fixture.ReadAsync(a, listenerQuery + " AND query LIKE '%change_log%'")).Count == 0 || again[0] == pids[0])
        {
            await Task.Delay(50);
        }
        await Task.Delay(200);
        var next = await a.GetLatestChangeSequenceAsync();
        var second = a.WaitForChangesAsync(next, TimeSpan.FromMinutes(2));
        await b.SetSettingAsync("test.after-reconnect", "1");
        await second.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Equal(["test.after-reconnect"], (await a.GetChangesAsync(next, 10)).Select(c => c.Key));
    }
}
