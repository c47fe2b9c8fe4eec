using GraphRouter.Core.Datasets;
using GraphRouter.Storage.Schema;
using GraphRouter.Storage.Tenancy;
using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Storage.Tests.Contract;

/// <summary>What every <see cref="IGraphStore"/> must do, run against each backend by a derived class.</summary>
public abstract class GraphStoreContract
{
    private readonly StoreFixture _fixture;

    protected GraphStoreContract(StoreFixture fixture) => _fixture = fixture;

    [StoreFact]
    public async Task Migrate_applies_each_version_once()
    {
        var store = await _fixture.CreateEmptyStoreAsync(migrate: false);

        var first = await store.MigrateAsync();
        var second = await store.MigrateAsync();

        // Every embedded migration, in order (the catalog holds them: a new migration needs no edit here).
        Assert.Equal(MigrationCatalog.For(store.Location.Kind).Select(m => m.Version), first);
        Assert.Equal(1, first[0]);
        Assert.Empty(second);
        var stats = await store.GetStatsAsync();
        Assert.All(stats.Nodes, n => Assert.Equal(0, n.Count));
        Assert.All(stats.Edges, e => Assert.Equal(0, e.Count));
    }

    [StoreFact]
    public async Task Migration_3_keeps_the_active_policy_and_queued_runs_of_an_older_store()
    {
        var store = await _fixture.CreateEmptyStoreAsync(migrate: false);
        var kind = store.Location.Kind;
        foreach (var migration in Storage.Schema.MigrationCatalog.For(kind).Where(m => m.Version <= 2))
        {
            await _fixture.ExecuteAsync(store, migration.Sql);
            await _fixture.ExecuteAsync(store, $"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({migration.Version}, '{migration.Name}', {Timestamp(kind, 0)})");
        }
        await _fixture.ExecuteAsync(store, $$"""
            INSERT INTO policies (version, created_at, path, manifest_json, active) VALUES ('old', {{Timestamp(kind, 1)}}, '/p/old', '{}', {{Boolean(kind, false)}});
            INSERT INTO policies (version, created_at, path, manifest_json, active) VALUES ('live', {{Timestamp(kind, 2)}}, '/p/live', '{}', {{Boolean(kind, true)}});
            INSERT INTO training_runs (id, status, progress, created_at, config_json) VALUES ('run-a', 'SUCCEEDED', 1, {{Timestamp(kind, 3)}}, '{}');
            INSERT INTO training_runs (id, status, progress, created_at, config_json) VALUES ('run-b', 'QUEUED', 0, {{Timestamp(kind, 4)}}, '{}');
            """);

        Assert.Equal(MigrationCatalog.For(kind).Select(m => m.Version).Where(v => v >= 3), await store.MigrateAsync());

        var active = await store.GetActivePolicyAsync();
        Assert.Equal("live", active!.Version);
        Assert.NotNull(active.ActivatedAt);
        Assert.Equal(["live"], await ReadAsync(store, "SELECT version FROM policy_activations WHERE rolled_back_at IS NULL"));
        Assert.Equal("old", (await store.ActivatePolicyAsync("old")).Version);
        Assert.Equal("live", (await store.RollbackPolicyAsync()).Version);
        var queued = await store.QueueTrainingRunAsync("{}");
        Assert.Equal([queued.Id, "run-b", "run-a"], (await store.GetTrainingRunsAsync(10)).Select(r => r.Id));
    }

    [StoreFact]
    public async Task Migration_5_numbers_stored_feedback_in_receipt_order_and_new_feedback_after_it()
    {
        var store = await _fixture.CreateEmptyStoreAsync(migrate: false);
        var kind = store.Location.Kind;
        foreach (var migration in Storage.Schema.MigrationCatalog.For(kind).Where(m => m.Version <= 4))
        {
            await _fixture.ExecuteAsync(store, migration.Sql);
            await _fixture.ExecuteAsync(store, $"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({migration.Version}, '{migration.Name}', {Timestamp(kind, 0)})");
        }
        await _fixture.ExecuteAsync(store, $"""
            INSERT INTO feedback_keys (idempotency_key, interaction_id, received_at, request_fingerprint) VALUES ('late', NULL, {Timestamp(kind, 3)}, 'f');
            INSERT INTO feedback_keys (idempotency_key, interaction_id, received_at, request_fingerprint) VALUES ('early', NULL, {Timestamp(kind, 1)}, 'f');
            INSERT INTO feedback_keys (idempotency_key, interaction_id, received_at, request_fingerprint) VALUES ('middle', NULL, {Timestamp(kind, 2)}, 'f');
            INSERT INTO training_runs (id, status, progress, created_at, started_at, config_json) VALUES ('run-old', 'RUNNING', 0.5, {Timestamp(kind, 1)}, {Timestamp(kind, 2)}, {"'{}'"});
            """);
        if (kind == StoreKind.Sqlite)
        {
            // SQLite's queue position has no default (the store assigns it); PostgreSQL's comes from its identity.
            await _fixture.ExecuteAsync(store, "UPDATE training_runs SET seq = 1");
        }

        await store.MigrateAsync();
        foreach (var llm in Feedbacks.Llms.Take(2))
        {
            await store.RegisterModelAsync(new Storage.Registry.ModelRegistration { Name = llm });
        }
        await store.RecordFeedbackAsync(Feedbacks.Simple("after", "u1", "What comes after a migration?"));

        Assert.Equal(["early|1", "middle|2", "late|3", "after|4"], await ReadAsync(store, "SELECT idempotency_key, seq FROM feedback_keys ORDER BY seq"));
        // A run left RUNNING before the lifecycle existed has its start as heartbeat, so the sweep can end it.
        var stale = Assert.Single(await store.FailStaleTrainingRunsAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(("run-old", "worker (none recorded) stopped: no heartbeat since 2026-01-03T00:00:00.000Z"), (stale.Id, stale.Error));
    }

    private static string Timestamp(StoreKind kind, int day) =>
        kind == StoreKind.Sqlite
            ? new DateTimeOffset(2026, 1, 1 + day, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)
            : $"'2026-01-0{1 + day}T00:00:00Z'";

    private static string Boolean(StoreKind kind, bool value) => kind == StoreKind.Sqlite ? (value ? "1" : "0") : (value ? "true" : "false");

    [StoreFact]
    public async Task Import_of_routerbench_stores_every_node_and_edge()
    {
        var data = Datasets.RouterBench;
        var (store, first) = await _fixture.ImportedAsync();

        var stats = await store.GetStatsAsync();

        Assert.Equal(600, first.Users);
        Assert.Equal(data.Queries.Count, first.Queries);
        Assert.Equal(data.Llms.Count, first.Llms);
        Assert.Equal(data.Outcomes.Count, first.Responses);
        Assert.Equal(data.Interactions.Count, first.Interactions);
        Assert.Equal(data.RatedResponseCount, first.Turns);
        Assert.Equal(600, stats.NodeCount("User"));
        Assert.Equal(2_205, stats.NodeCount("Query"));
        Assert.Equal(11, stats.NodeCount("Llm"));
        Assert.Equal(56_284, stats.NodeCount("Turn"));
        Assert.Equal(24_255, stats.NodeCount("Response"));
        Assert.Equal(25_622, stats.Interactions);
        Assert.Equal(56_284, stats.EdgeCount("Query", "Turn"));
        Assert.Equal(56_284, stats.EdgeCount("Llm", "Turn"));
        Assert.Equal(56_284, stats.EdgeCount("Response", "Turn"));
        Assert.Equal(56_284, stats.EdgeCount("Turn", "User"));
        Assert.Equal(0, stats.EdgeCount("Turn", "Turn"));
    }

    [StoreFact]
    public async Task A_second_import_adds_nothing()
    {
        var (store, _) = await _fixture.ImportedAsync();
        var before = await store.GetStatsAsync();

        var again = await store.ImportAsync(Datasets.RouterBench);

        Assert.True(again.AddedNothing, again.ToString());
        Assert.Equal(before, await store.GetStatsAsync(), StatsComparer.Instance);
    }

    [StoreFact]
    public async Task History_of_the_busiest_user_is_complete_and_newest_first()
    {
        var user = Datasets.BusiestUser();
        var expected = Datasets.InteractionsOf(user).OrderByDescending(i => i.Timestamp).ToList();

        var (store, _) = await _fixture.ImportedAsync();

        var history = await store.GetUserHistoryAsync(TenantUser.InDefaultTenant(user), 10_000);

        Assert.Equal(expected.Count, history.Count);
        Assert.True(expected.Count > 100);
        for (var k = 0; k < expected.Count; k++)
        {
            var want = expected[k];
            var got = history[k];
            Assert.Equal(want.Conversation, got.Conversation);
            Assert.Equal(want.Step, got.Step);
            Assert.Equal(want.Timestamp, got.Timestamp);
            Assert.Equal(want.QueryId, got.QueryId);
            Assert.Equal(Datasets.RouterBench.Query(want.QueryId).Text, got.QueryText);
            Assert.Equal(want.Ratings.Select(r => (r.Llm, r.Rating)), got.Responses.Select(r => (r.Llm, r.Rating)));
            foreach (var response in got.Responses)
            {
                var outcome = Datasets.RouterBench.Outcome(want.QueryId, response.Llm);
                Assert.Equal(outcome.Response, response.Text);
                Assert.Equal(outcome.CostUsd, response.CostUsd);
            }
        }
    }

    [StoreFact]
    public async Task History_honours_the_limit_and_knows_no_stranger()
    {
        var user = Datasets.BusiestUser();
        var newest = Datasets.InteractionsOf(user).OrderByDescending(i => i.Timestamp).Take(5).ToList();

        var (store, _) = await _fixture.ImportedAsync();

        var history = await store.GetUserHistoryAsync(TenantUser.InDefaultTenant(user), 5);
        var stranger = await store.GetUserHistoryAsync(TenantUser.InDefaultTenant("no-such-user"), 5);

        Assert.Equal(newest.Select(i => (i.Conversation, i.QueryId)), history.Select(h => (h.Conversation, h.QueryId)));
        Assert.Empty(stranger);
    }

    [StoreFact]
    public async Task Multi_turn_conversations_link_each_step_to_the_previous_one()
    {
        var data = Datasets.MultiTurn("u0001", 3);
        var store = await _fixture.CreateEmptyStoreAsync();
        var expectedLinks = 0;
        for (var s = 1; s < data.Interactions.Count; s++)
        {
            expectedLinks += data.Interactions[s].Ratings.Count * data.Interactions[s - 1].Ratings.Count;
        }

        var result = await store.ImportAsync(data);
        var again = await store.ImportAsync(data);
        var stats = await store.GetStatsAsync();

        Assert.Equal(expectedLinks, result.TurnLinks);
        Assert.True(again.AddedNothing);
        Assert.Equal(expectedLinks, stats.EdgeCount("Turn", "Turn"));
        Assert.Equal(1, stats.NodeCount("User"));
        Assert.Equal(3, stats.Interactions);
    }

    [StoreFact]
    public async Task A_failed_import_leaves_the_store_as_it_was()
    {
        var store = await _fixture.CreateEmptyStoreAsync();
        await store.ImportAsync(Datasets.MultiTurn("u0002", 2));
        var before = await store.GetStatsAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => store.ImportAsync(Datasets.WithMissingResponse()));

        Assert.Equal(before, await store.GetStatsAsync(), StatsComparer.Instance);
    }

    [StoreFact]
    public async Task Quality_table_fills_the_registry_queries_and_scored_responses()
    {
        var table = Datasets.QualityTable;
        var store = await _fixture.CreateEmptyStoreAsync();
        var scores = table.Train.Concat(table.Test).Sum(r => r.Scores.Count);

        var first = await store.ImportQualityTableAsync(table);
        var again = await store.ImportQualityTableAsync(table);
        var stats = await store.GetStatsAsync();

        Assert.Equal(table.Catalog.Count, first.Llms);
        Assert.Equal(table.Train.Count + table.Test.Count, first.Queries);
        Assert.Equal(scores, first.Responses);
        Assert.True(again.AddedNothing);
        Assert.Equal(14, stats.NodeCount("Llm"));
        Assert.Equal(6_108, stats.NodeCount("Query"));
        Assert.Equal(scores, stats.NodeCount("Response"));
        Assert.Equal(0, stats.NodeCount("Turn"));
    }

    [StoreFact]
    public async Task Quality_table_prices_and_textless_responses_are_stored()
    {
        var table = Datasets.QualityTable;
        var store = await _fixture.CreateEmptyStoreAsync();
        await store.ImportQualityTableAsync(table);

        var rows = await ReadAsync(store, "SELECT name, input_price_per_million, output_price_per_million FROM llms ORDER BY name");
        var textless = await ReadAsync(store, "SELECT COUNT(*) FROM responses WHERE text IS NULL AND score IS NOT NULL AND cost_usd IS NULL");

        var expected = table.Catalog.OrderBy(l => l.Name, StringComparer.Ordinal)
            .Select(l => $"{l.Name}|{l.InputPricePerMillion}|{l.OutputPricePerMillion}");
        Assert.Equal(expected, rows);
        Assert.Equal([table.Train.Concat(table.Test).Sum(r => r.Scores.Count).ToString(System.Globalization.CultureInfo.InvariantCulture)], textless);
    }

    /// <summary>Runs a query on the backend directly; each row as its columns joined by '|'.</summary>
    protected Task<IReadOnlyList<string>> ReadAsync(IGraphStore store, string sql) => _fixture.ReadAsync(store, sql);
}
