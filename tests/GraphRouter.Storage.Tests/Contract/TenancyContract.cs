using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GraphRouter.Storage.ApiKeys;
using GraphRouter.Storage.Changes;
using GraphRouter.Storage.Schema;
using GraphRouter.Storage.Tenancy;
using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Storage.Tests.Contract;

/// <summary>
/// Tenancy on every backend (migration 0008): tenants and their default costWeight, users and feedback keys per
/// tenant (one tenant never reads or changes another's), API keys of existing tenants only, and the migration of a
/// store holding 0007-era data into the default tenant.
/// </summary>
public abstract class TenancyContract
{
    private static readonly DateTimeOffset T0 = new(2027, 9, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly StoreFixture _fixture;

    protected TenancyContract(StoreFixture fixture) => _fixture = fixture;

    protected abstract StoreKind Kind { get; }

    /// <summary>An instant as a SQL literal of this backend's timestamp column.</summary>
    protected abstract string Instant(DateTimeOffset at);

    /// <summary>The query plan of <paramref name="sql"/> with its parameters bound to <paramref name="values"/>, as text, one line per plan row.</summary>
    protected abstract Task<string> PlanAsync(IGraphStore store, string sql, params string[] values);

    /// <summary>The SQL of the history read, the feedback writer's key look-up and its user look-up on this backend.</summary>
    protected abstract (string History, string FindKey, string FindUser) HotReads { get; }

    /// <summary>The index names the hot reads must use on this backend: users by (tenant, id), interactions by user, keys by (tenant, key).</summary>
    protected abstract (string Users, string Interactions, string Keys) Indexes { get; }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static ApiKeyRegistration Key(string name, string tenant, string secret) =>
        new() { Name = name, Role = ApiKeyRole.App, Tenant = tenant, SecretHash = Hash(secret) };

    private Task<IReadOnlyList<string>> ReadAsync(IGraphStore store, string sql) => _fixture.ReadAsync(store, sql);

    [StoreFact]
    public async Task The_default_tenant_exists_and_tenants_are_created_listed_and_refused_when_taken_or_invalid()
    {
        var clock = new TestClock(T0);
        var store = await _fixture.CreateEmptyStoreAsync(options: new GraphStoreOptions { Time = clock });
        var fresh = await store.GetTenantsAsync();

        var acme = await store.CreateTenantAsync("acme", 0.5);
        clock.Advance(TimeSpan.FromMinutes(1));
        var beta = await store.CreateTenantAsync("Beta_2.eu-west");
        var taken = await Assert.ThrowsAsync<StoreConflictException>(() => store.CreateTenantAsync("acme", 3));
        var defaultTaken = await Assert.ThrowsAsync<StoreConflictException>(() => store.CreateTenantAsync(Tenants.Default));
        foreach (var invalid in new[] { "", "acme/eu", "has space", "ümlaut", new string('t', 65) })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => store.CreateTenantAsync(invalid));
        }
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateTenantAsync("negative", -0.1));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateTenantAsync("nan", double.NaN));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateTenantAsync("infinite", double.PositiveInfinity));

        Assert.Equal([Tenants.Default], fresh.Select(t => t.Id));
        Assert.Null(fresh[0].DefaultCostWeight);
        Assert.Equal(new TenantRecord { Id = "acme", Created = T0, DefaultCostWeight = 0.5 }, acme);
        Assert.Equal(new TenantRecord { Id = "Beta_2.eu-west", Created = T0.AddMinutes(1) }, beta);
        Assert.Equal("tenant 'acme' already exists; nothing was stored", taken.Message);
        Assert.Contains("'default'", defaultTaken.Message, StringComparison.Ordinal);
        Assert.Equal(["Beta_2.eu-west", "acme", Tenants.Default], (await store.GetTenantsAsync()).Select(t => t.Id));
        Assert.Equal(acme, await store.GetTenantAsync("acme"));
        Assert.Null(await store.GetTenantAsync("ACME"));
        Assert.Null(await store.GetTenantAsync("nobody"));
        Assert.Equal(["Beta_2.eu-west", "acme", Tenants.Default], await ReadAsync(store, "SELECT id FROM tenants ORDER BY id"));
    }

    [StoreFact]
    public async Task A_tenants_default_cost_weight_is_set_and_cleared_each_change_logged_and_an_unknown_tenant_refused()
    {
        var store = await _fixture.CreateEmptyStoreAsync();
        await store.CreateTenantAsync("acme");
        var before = await store.GetLatestChangeSequenceAsync();

        var set = await store.SetTenantCostWeightAsync("acme", 2.5);
        var read = await store.GetTenantAsync("acme");
        var cleared = await store.SetTenantCostWeightAsync("acme", null);
        var defaultSet = await store.SetTenantCostWeightAsync(Tenants.Default, 0.125);
        var afterWrites = await store.GetLatestChangeSequenceAsync();
        var unknown = await Assert.ThrowsAsync<StoreNotFoundException>(() => store.SetTenantCostWeightAsync("ghost", 1));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SetTenantCostWeightAsync("acme", -1));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SetTenantCostWeightAsync("acme", double.NaN));

        Assert.Equal(2.5, set.DefaultCostWeight);
        Assert.Equal(2.5, read!.DefaultCostWeight);
        Assert.Null(cleared.DefaultCostWeight);
        Assert.Null((await store.GetTenantAsync("acme"))!.DefaultCostWeight);
        Assert.Equal(0.125, defaultSet.DefaultCostWeight);
        Assert.Equal((StoreNotFoundException.Tenant, "tenant 'ghost' does not exist"), (unknown.Kind, unknown.Message));
        Assert.Equal(afterWrites, await store.GetLatestChangeSequenceAsync());
        Assert.Equal(
            [(StoreChangeKind.Tenant, "acme"), (StoreChangeKind.Tenant, "acme"), (StoreChangeKind.Tenant, Tenants.Default)],
            (await store.GetChangesAsync(before, 100)).Select(c => (c.Kind, c.Key)));
        Assert.Null((await store.GetTenantAsync("acme"))!.DefaultCostWeight);
        Assert.Empty(await ReadAsync(store, "SELECT id FROM tenants WHERE id = 'ghost'"));
    }

    [StoreFact]
    public async Task The_same_user_id_in_two_tenants_is_two_users_with_separate_histories_and_summaries()
    {
        var store = await _fixture.CreateEmptyStoreAsync();
        var seed = Datasets.MultiTurn("u0001", 3);
        await store.ImportAsync(seed);
        await store.CreateTenantAsync("acme");
        var inDefault = TenantUser.InDefaultTenant("u0001");
        var inAcme = new TenantUser("acme", "u0001");
        var defaultBefore = await store.GetUserHistoryAsync(inDefault, 100);

        var acmeFirst = await store.GetUserSummaryAsync(inAcme);
        var written = await store.RecordFeedbackAsync(Feedbacks.Simple("acme-1", "u0001", "What does a router do?", occurredAt: T0, tenant: "acme"));
        var written2 = await store.RecordFeedbackAsync(Feedbacks.Simple("acme-2", "u0001", "And a switch?", occurredAt: T0.AddMinutes(1), tenant: "acme"));
        var defaultWritten = await store.RecordFeedbackAsync(Feedbacks.Simple("default-1", "u0001", "What is a subnet?", occurredAt: T0.AddMinutes(2)));

        Assert.Null(acmeFirst);
        Assert.Equal((false, 1), (written.Duplicate, written.UserInteractions));
        Assert.Equal(2, written2.UserInteractions);
        Assert.Equal(4, defaultWritten.UserInteractions);
        var acmeHistory = await store.GetUserHistoryAsync(inAcme, 100);
        var defaultHistory = await store.GetUserHistoryAsync(inDefault, 100);
        Assert.Equal(["And a switch?", "What does a router do?"], acmeHistory.Select(h => h.QueryText));
        Assert.Equal(4, defaultHistory.Count);
        Assert.Equal("What is a subnet?", defaultHistory[0].QueryText);
        Assert.Equal(defaultBefore.Select(h => (h.Conversation, h.Step, h.QueryId)), defaultHistory.Skip(1).Select(h => (h.Conversation, h.Step, h.QueryId)));
        Assert.Equal(new Storage.History.UserSummary { Tenant = "acme", ExternalId = "u0001", Interactions = 2, LastSeen = T0.AddMinutes(1) }, await store.GetUserSummaryAsync(inAcme));
        Assert.Equal(4, (await store.GetUserSummaryAsync(inDefault))!.Interactions);
        Assert.Null(await store.GetUserSummaryAsync(new TenantUser("beta", "u0001")));
        Assert.Empty(await store.GetUserHistoryAsync(new TenantUser("beta", "u0001"), 100));
        Assert.Equal(["acme|u0001", "default|u0001"], await ReadAsync(store, "SELECT tenant_id, external_id FROM users WHERE external_id = 'u0001' ORDER BY tenant_id"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetUserHistoryAsync(new TenantUser("acme/x", "u0001"), 10));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetUserSummaryAsync(new TenantUser("", "u0001")));
    }

    [StoreFact]
    public async Task The_same_idempotency_key_in_two_tenants_is_two_independent_feedbacks()
    {
        var store = await _fixture.CreateEmptyStoreAsync();
        await store.ImportAsync(Datasets.MultiTurn("u0001", 1));
        await store.CreateTenantAsync("acme");
        await store.CreateTenantAsync("beta");
        var defaultFeedback = Feedbacks.Simple("order-42", "shopper", "Recommend a laptop for travel.", occurredAt: T0);
        var acmeFeedback = Feedbacks.Create("order-42", "shopper", "Summarize my cart.", [Feedbacks.Rated(Feedbacks.Llms[2], 9, "three items")], occurredAt: T0, tenant: "acme");

        var first = await store.RecordFeedbackAsync(defaultFeedback);
        var second = await store.RecordFeedbackAsync(acmeFeedback);
        var acmeReplay = await store.RecordFeedbackAsync(acmeFeedback);
        var defaultReplay = await store.RecordFeedbackAsync(defaultFeedback);
        var inBeta = await store.RecordFeedbackAsync(acmeFeedback with { Tenant = "beta" });
        var acmeConflict = await Assert.ThrowsAsync<StoreConflictException>(() => store.RecordFeedbackAsync(defaultFeedback with { Tenant = "acme" }));

        Assert.Equal((false, 1), (first.Duplicate, first.UserInteractions));
        Assert.Equal((false, 1), (second.Duplicate, second.UserInteractions));
        Assert.Equal((true, 1), (acmeReplay.Duplicate, acmeReplay.UserInteractions));
        Assert.Equal((true, 1), (defaultReplay.Duplicate, defaultReplay.UserInteractions));
        Assert.Equal((false, 1), (inBeta.Duplicate, inBeta.UserInteractions));
        Assert.Contains("'order-42'", acmeConflict.Message, StringComparison.Ordinal);
        Assert.Equal(["Recommend a laptop for travel."], (await store.GetUserHistoryAsync(TenantUser.InDefaultTenant("shopper"), 10)).Select(h => h.QueryText));
        Assert.Equal(["Summarize my cart."], (await store.GetUserHistoryAsync(new TenantUser("acme", "shopper"), 10)).Select(h => h.QueryText));
        Assert.Equal(["Summarize my cart."], (await store.GetUserHistoryAsync(new TenantUser("beta", "shopper"), 10)).Select(h => h.QueryText));
        Assert.Equal(
            ["acme|order-42|" + acmeFeedback.RequestFingerprint, "beta|order-42|" + acmeFeedback.RequestFingerprint, "default|order-42|" + defaultFeedback.RequestFingerprint],
            await ReadAsync(store, "SELECT tenant_id, idempotency_key, request_fingerprint FROM feedback_keys ORDER BY tenant_id"));
        var feedbackChanges = (await store.GetChangesAsync(0, 100)).Where(c => c.Kind == StoreChangeKind.Feedback).Select(c => c.Key);
        Assert.Equal(["default/shopper", "acme/shopper", "beta/shopper"], feedbackChanges);
    }

    [StoreFact]
    public async Task Feedback_for_an_unknown_tenant_is_refused_alone_and_writes_nothing()
    {
        var store = await _fixture.CreateEmptyStoreAsync();
        await store.ImportAsync(Datasets.MultiTurn("u0001", 1));
        var stats = await store.GetStatsAsync();
        var changes = await store.GetLatestChangeSequenceAsync();

        // Sent together, so that SQLite's group commit may hold both in one transaction: the refused one is undone alone.
        var ghost = store.RecordFeedbackAsync(Feedbacks.Simple("k-ghost", "someone", "Who is there?", tenant: "ghost"));
        var real = store.RecordFeedbackAsync(Feedbacks.Simple("k-real", "someone", "Who is here?"));
        var refused = await Assert.ThrowsAsync<StoreNotFoundException>(() => ghost);
        var accepted = await real;

        Assert.Equal((StoreNotFoundException.Tenant, "tenant 'ghost' does not exist"), (refused.Kind, refused.Message));
        Assert.False(accepted.Duplicate);
        var after = await store.GetStatsAsync();
        Assert.Equal(stats.Interactions + 1, after.Interactions);
        Assert.Equal(stats.NodeCount("User") + 1, after.NodeCount("User"));
        Assert.Equal(["default|k-real"], await ReadAsync(store, "SELECT tenant_id, idempotency_key FROM feedback_keys"));
        Assert.Equal(["default/someone"], (await store.GetChangesAsync(changes, 100)).Select(c => c.Key));
        Assert.Empty(await ReadAsync(store, "SELECT id FROM users WHERE tenant_id = 'ghost'"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.RecordFeedbackAsync(Feedbacks.Simple("k-bad", "someone", "Who?", tenant: "a/b")));
    }

    [StoreFact]
    public async Task A_key_for_an_unknown_tenant_is_refused_and_nothing_is_written_and_a_keys_tenant_is_kept()
    {
        var clock = new TestClock(T0);
        var store = await _fixture.CreateEmptyStoreAsync(options: new GraphStoreOptions { Time = clock });
        await store.CreateTenantAsync("acme");

        var unknown = await Assert.ThrowsAsync<StoreNotFoundException>(() => store.CreateApiKeyAsync(Key("ghost-app", "ghost", "secret-ghost")));
        var unknownFirst = await Assert.ThrowsAsync<StoreNotFoundException>(() => store.CreateFirstApiKeyAsync(Key("ghost-admin", "ghost", "secret-first")));
        var keysAfterRefusals = await store.GetApiKeysAsync();
        var acmeKey = await store.CreateApiKeyAsync(Key("acme-app", "acme", "secret-acme"));
        clock.Advance(TimeSpan.FromSeconds(1));
        var defaultKey = await store.CreateApiKeyAsync(Key("default-app", Tenants.Default, "secret-default"));
        clock.Advance(TimeSpan.FromSeconds(1));
        var reused = await store.CreateApiKeyAsync(Key("ghost-app", "acme", "secret-reused"));

        Assert.Equal((StoreNotFoundException.Tenant, "tenant 'ghost' does not exist"), (unknown.Kind, unknown.Message));
        Assert.Equal(StoreNotFoundException.Tenant, unknownFirst.Kind);
        Assert.Empty(keysAfterRefusals);
        Assert.Equal("acme", acmeKey.Tenant);
        Assert.Equal(Tenants.Default, defaultKey.Tenant);
        Assert.Equal("acme", (await store.FindApiKeyAsync(Hash("secret-acme")))!.Tenant);
        Assert.Equal([("acme-app", "acme"), ("default-app", Tenants.Default), ("ghost-app", "acme")], (await store.GetApiKeysAsync()).Select(k => (k.Name, k.Tenant)));
        Assert.Equal("ghost-app", reused.Name);
        Assert.Equal(["acme-app|acme", "default-app|default", "ghost-app|acme"], await ReadAsync(store, "SELECT name, tenant_id FROM api_keys ORDER BY name"));
    }

    [StoreFact]
    public async Task A_store_holding_0007_era_data_migrates_every_user_feedback_key_and_api_key_into_the_default_tenant()
    {
        var store = await _fixture.CreateEmptyStoreAsync(migrate: false);
        foreach (var migration in MigrationCatalog.For(Kind).Where(m => m.Version <= 7))
        {
            await _fixture.ExecuteAsync(store, migration.Sql);
            await _fixture.ExecuteAsync(store, string.Create(CultureInfo.InvariantCulture,
                $"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({migration.Version}, '{migration.Name}', {Instant(T0)})"));
        }
        var fingerprint = new string('f', 64);
        // What a 0007 store holds: two users with an interaction each (two rated turns), one feedback key, an API key
        // and a feedback change, written as the 0007 writers wrote them.
        await _fixture.ExecuteAsync(store, $"""
            INSERT INTO users (external_id) VALUES ('old-1');
            INSERT INTO users (external_id) VALUES ('team/old-2');
            INSERT INTO queries (external_id, task, text) VALUES ('q-old', '', 'What was asked before tenancy?');
            INSERT INTO llms (name) VALUES ('{Feedbacks.Llms[0]}');
            INSERT INTO llms (name) VALUES ('{Feedbacks.Llms[1]}');
            INSERT INTO responses (query_id, llm_id, text) SELECT q.id, l.id, 'answer' FROM queries q CROSS JOIN llms l;
            INSERT INTO interactions (user_id, conversation, step, occurred_at, query_id)
                SELECT u.id, 'c-old', 0, {Instant(T0)}, q.id FROM users u CROSS JOIN queries q;
            INSERT INTO turns (interaction_id, llm_id, response_id, rating)
                SELECT i.id, r.llm_id, r.id, 6 FROM interactions i JOIN responses r ON r.query_id = i.query_id;
            INSERT INTO feedback_keys (idempotency_key, interaction_id, received_at, request_fingerprint, decision_id)
                SELECT 'old-key', i.id, {Instant(T0)}, '{fingerprint}', NULL FROM interactions i JOIN users u ON u.id = i.user_id WHERE u.external_id = 'old-1';
            INSERT INTO api_keys (id, name, role, secret_hash, created_at) VALUES ('key_0123456789ab', 'old-admin', 'admin', '{Hash("secret-old")}', {Instant(T0)});
            INSERT INTO change_log (kind, key, origin, changed_at) VALUES ('feedback', 'team/old-2', 'old-instance', {Instant(T0)});
            INSERT INTO change_log (kind, key, origin, changed_at) VALUES ('policy', 'v-old', 'old-instance', {Instant(T0)});
            {PackTurnsSql}
            """);
        var usersBefore = await ReadAsync(store, "SELECT id, external_id FROM users ORDER BY id");
        var turnsBefore = await ReadAsync(store, "SELECT id, interaction_id, llm_id, response_id FROM turns ORDER BY id");

        var applied = await store.MigrateAsync();

        Assert.Equal(MigrationCatalog.For(Kind).Where(m => m.Version > 7).Select(m => m.Version), applied);
        Assert.Equal(usersBefore.Select(u => u + "|default"), await ReadAsync(store, "SELECT id, external_id, tenant_id FROM users ORDER BY id"));
        Assert.Equal(turnsBefore, await ReadAsync(store, "SELECT id, interaction_id, llm_id, response_id FROM turns ORDER BY id"));
        Assert.Equal(["default|old-key"], await ReadAsync(store, "SELECT tenant_id, idempotency_key FROM feedback_keys"));
        Assert.Equal([("feedback", "default/team/old-2"), ("policy", "v-old")], (await store.GetChangesAsync(0, 10)).Select(c => (c.Kind, c.Key)));
        Assert.Equal(new TenantUser(Tenants.Default, "team/old-2"), TenantUser.FromChangeKey((await store.GetChangesAsync(0, 1))[0].Key));
        var oldKey = await store.FindApiKeyAsync(Hash("secret-old"));
        Assert.Equal(("old-admin", ApiKeyRole.Admin, Tenants.Default), (oldKey!.Name, oldKey.Role, oldKey.Tenant));
        Assert.Equal(1, (await store.GetUserSummaryAsync(TenantUser.InDefaultTenant("old-1")))!.Interactions);
        Assert.Equal(1, (await store.GetUserSummaryAsync(TenantUser.InDefaultTenant("team/old-2")))!.Interactions);
        var history = Assert.Single(await store.GetUserHistoryAsync(TenantUser.InDefaultTenant("team/old-2"), 10));
        Assert.Equal(new[] { (Feedbacks.Llms[0], 6.0), (Feedbacks.Llms[1], 6.0) }.Order(), history.Responses.Select(r => (r.Llm, r.Rating)).Order());
        Assert.Equal(["old-1", "team/old-2"], (await store.ReadSnapshotAsync()).Dataset.ByUser().Select(g => g.Key).Order(StringComparer.Ordinal));

        // The old key still identifies its feedback in the default tenant: a replay is a duplicate. In a new tenant it is free.
        var replay = Feedbacks.Simple("old-key", "old-1", "What was asked before tenancy?") with { RequestFingerprint = fingerprint };
        Assert.True((await store.RecordFeedbackAsync(replay)).Duplicate);
        await store.CreateTenantAsync("acme");
        Assert.False((await store.RecordFeedbackAsync(replay with { Tenant = "acme" })).Duplicate);
        Assert.Equal(3, (await store.GetStatsAsync()).NodeCount("User"));
        Assert.Empty(await ReadAsync(store, ForeignKeyViolationsSql));
    }

    /// <summary>Rows whose references do not resolve (none after a migration).</summary>
    protected abstract string ForeignKeyViolationsSql { get; }

    /// <summary>Fills every interaction's packed turns as the 0007 writers did (migration 0002's statement).</summary>
    protected abstract string PackTurnsSql { get; }

    [StoreFact]
    public async Task The_history_read_and_the_feedback_writers_look_ups_still_use_their_indexes()
    {
        var (store, _) = await _fixture.ImportedAsync();
        var user = Datasets.BusiestUser();

        var history = await PlanAsync(store, HotReads.History, Tenants.Default, user, "20");
        var findKey = await PlanAsync(store, HotReads.FindKey, Tenants.Default, "some-key");
        var findUser = await PlanAsync(store, HotReads.FindUser, Tenants.Default, user);

        Assert.Contains(Indexes.Users, history, StringComparison.Ordinal);
        Assert.Contains(Indexes.Interactions, history, StringComparison.Ordinal);
        Assert.Contains(Indexes.Keys, findKey, StringComparison.Ordinal);
        Assert.Contains(Indexes.Users, findUser, StringComparison.Ordinal);
    }
}
