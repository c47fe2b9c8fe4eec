using GraphRouter.Core.Datasets;
using GraphRouter.Routing.Policies;
using GraphRouter.Serving.Engine;
using GraphRouter.Serving.Runtime;
using GraphRouter.Storage;
using GraphRouter.Storage.Tenancy;
using GraphRouter.TestSupport;
using Microsoft.Data.Sqlite;

namespace GraphRouter.Serving.Tests.Engine;

/// <summary>
/// Two engines, each with its own store object on one real SQLite file (as two processes would have), prepared
/// as <c>graphrouter serve</c> prepares it: what one of them (or a plain store writer, as the CLI or the
/// retraining worker) commits reaches the other through the change feed. Waits poll with a generous limit;
/// nothing asserts on elapsed time.
/// </summary>
public sealed class ChangeFollowingTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "graphrouter-follow-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _logB = new();
    private IGraphStore _storeA = null!;
    private IGraphStore _storeB = null!;
    private RouterEngine _a = null!;
    private RouterEngine _b = null!;

    private string Database => Path.Combine(_folder, "graphrouter.db");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _storeA = await GraphStoreFactory.OpenAsync(StoreLocation.Parse("sqlite:" + Database));
        await ServiceBootstrap.PrepareAsync(_storeA, BundledData.RouterBench, Path.Combine(BundledData.Root(), "policies"), TextWriter.Null);
        _storeB = await GraphStoreFactory.OpenAsync(StoreLocation.Parse("sqlite:" + Database));
        _a = new RouterEngine(_storeA, new EngineOptions());
        _b = new RouterEngine(_storeB, new EngineOptions(), log: TextWriter.Synchronized(_logB));
        await _a.StartAsync();
        await _b.StartAsync();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails only after the generous limit.</summary>
    private static Task EventuallyAsync(Func<Task<bool>> condition, string what) => Eventually.HoldsAsync(condition, what, Generous);

    private static Task EventuallyAsync(Func<bool> condition, string what) => Eventually.HoldsAsync(condition, what, Generous);

    private static RouteCommand Route(string user) => new() { UserId = user, Query = "Write a haiku about autumn rain.", CostWeight = 0 };

    private async Task<string> RegisterCopyOfBundledPolicyAsync(string version, bool corrupt = false)
    {
        var source = BundledPolicy.Folder;
        var target = Path.Combine(_folder, "policies", version);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source).Where(f => Path.GetFileName(f) != PolicyManifest.FileName))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        PolicyManifestWriter.Write(target, PolicyLoader.Verify(source) with { Version = version, Created = DateTimeOffset.UtcNow });
        await _storeA.RegisterPolicyAsync(ServiceBootstrap.Registration(PolicyLoader.Verify(target), target));
        if (corrupt)
        {
            var scorer = Path.Combine(target, "scorer.onnx");
            var bytes = await File.ReadAllBytesAsync(scorer);
            bytes[bytes.Length / 2] ^= 0xFF;
            await File.WriteAllBytesAsync(scorer, bytes);
        }
        return version;
    }

    [Fact]
    public async Task An_import_into_the_store_reaches_an_engine_that_had_cached_the_users_empty_history()
    {
        const string user = "imported-late";
        var before = await _b.RouteAsync(Tenants.Default, Route(user));
        Assert.False(before.UserKnown);
        Assert.Equal(0, before.UserInteractions);

        // A plain store writer, as `graphrouter import` is: the busiest routerbench user's first 6 interactions under a new id.
        var source = RouterBenchReader.Load(BundledData.RouterBench);
        var busiest = source.ByUser().OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var interactions = source.Interactions.Where(i => i.User == busiest).Take(6).Select(i => i with { User = user }).ToList();
        var queries = interactions.Select(i => i.QueryId).ToHashSet(StringComparer.Ordinal);
        var late = new PreferenceDataset(
            "late-import", 1, source.Scale, source.Llms, source.Tasks,
            source.Queries.Where(q => queries.Contains(q.Id)).ToList(),
            source.Outcomes.Where(o => queries.Contains(o.QueryId)).ToList(),
            interactions);
        await using (var writer = await GraphStoreFactory.OpenAsync(StoreLocation.Parse("sqlite:" + Database)))
        {
            Assert.Equal(6, (await writer.ImportAsync(late)).Interactions);
        }

        // Without the import's change B would go on serving the cached empty-history embedding.
        RouteResult after = before;
        await EventuallyAsync(async () => (after = await _b.RouteAsync(Tenants.Default, Route(user))).UserInteractions == 6, "B sees the imported user's 6 interactions");
        Assert.True(after.UserKnown);
    }

    [Fact]
    public async Task Feedback_on_one_engine_changes_that_users_scores_on_the_other()
    {
        const string user = "follow-user";
        var before = await _b.RouteAsync(Tenants.Default, Route(user));
        Assert.False(before.UserKnown);
        var loser = before.Ranking[^1].Model;

        // Rated high the model B ranks last, several times: the user's embedding moves.
        for (var i = 0; i < 5; i++)
        {
            await _a.SubmitFeedbackAsync(Tenants.Default, new FeedbackCommand
            {
                IdempotencyKey = $"follow-{i}",
                UserId = user,
                Step = 0,
                ConversationId = $"c{i}",
                Query = $"Question number {i} about gardening",
                Responses = [new() { Model = loser, Rating = 10 }, new() { Model = before.Ranking[0].Model, Rating = 1 }],
            });
        }

        RouteResult after = before;
        await EventuallyAsync(async () => (after = await _b.RouteAsync(Tenants.Default, Route(user))).UserInteractions == 5, "B sees the user's 5 interactions");
        Assert.True(after.UserKnown);
        Assert.NotEqual(before.Ranking.Single(s => s.Model == loser).Score, after.Ranking.Single(s => s.Model == loser).Score);
        // A route after the first invalidation re-reads the whole history from the store, so B can show all 5
        // interactions before its follower has applied the last changes; the follower gets there too.
        await EventuallyAsync(() => _b.Follower!.Applied >= 5, "B's follower applies the 5 feedback changes");
    }

    [Fact]
    public async Task Feedback_of_one_tenants_user_reaches_the_other_engine_for_that_tenant_only()
    {
        const string user = "shared-id";
        // read before the tenant is created: B's follower may apply that change at any moment after it
        var applied = _b.Follower!.Applied;
        await _storeA.CreateTenantAsync("acme-follow");
        var defaultBefore = await _b.RouteAsync(Tenants.Default, Route(user));
        var acmeBefore = await _b.RouteAsync("acme-follow", Route(user));
        var loser = acmeBefore.Ranking[^1].Model;

        for (var i = 0; i < 3; i++)
        {
            await _a.SubmitFeedbackAsync("acme-follow", new FeedbackCommand
            {
                IdempotencyKey = $"tenant-follow-{i}",
                UserId = user,
                Step = 0,
                ConversationId = $"t{i}",
                Query = $"Tenant question {i} about bread",
                Responses = [new() { Model = loser, Rating = 10 }, new() { Model = acmeBefore.Ranking[0].Model, Rating = 1 }],
            });
        }

        // B had both users' embeddings cached: the feedback changes must reach acme's user there, and only it.
        RouteResult acmeAfter = acmeBefore;
        await EventuallyAsync(async () => (acmeAfter = await _b.RouteAsync("acme-follow", Route(user))).UserInteractions == 3, "B sees acme's user's 3 interactions");
        await EventuallyAsync(() => _b.Follower.Applied >= applied + 4, "B's follower applies the tenant creation and the 3 feedback changes");
        var defaultAfter = await _b.RouteAsync(Tenants.Default, Route(user));
        Assert.NotEqual(acmeBefore.Ranking.Single(s => s.Model == loser).Score, acmeAfter.Ranking.Single(s => s.Model == loser).Score);
        Assert.Equal((false, 0), (defaultAfter.UserKnown, defaultAfter.UserInteractions));
        Assert.Equal(defaultBefore.Ranking.Select(r => (r.Model, r.Score)), defaultAfter.Ranking.Select(r => (r.Model, r.Score)));
        Assert.Null(await _b.GetUserAsync(Tenants.Default, user));
        Assert.Equal(3, (await _b.GetUserAsync("acme-follow", user))!.Interactions);
    }

    [Fact]
    public async Task A_tenants_default_cost_weight_set_on_one_engine_or_in_the_store_reaches_the_other_for_that_tenant_only()
    {
        await _storeA.CreateTenantAsync("acme-weight");
        await _storeA.CreateTenantAsync("beta-weight", 0.75);
        await EventuallyAsync(() => _b.DefaultCostWeightFor("beta-weight") == 0.75, "B uses the default beta-weight was created with");
        var deployment = _b.DefaultCostWeight;

        await _a.SetTenantDefaultCostWeightAsync("acme-weight", 3.5);
        await EventuallyAsync(() => _b.DefaultCostWeightFor("acme-weight") == 3.5, "B uses the default A set for acme-weight");
        Assert.Equal(deployment, _b.DefaultCostWeightFor(Tenants.Default));
        Assert.Equal(0.75, _b.DefaultCostWeightFor("beta-weight"));
        Assert.Equal(3.5, _a.DefaultCostWeightFor("acme-weight"));

        // As the CLI would: straight into the store.
        await _storeA.SetTenantCostWeightAsync("acme-weight", null);
        await EventuallyAsync(() => _b.DefaultCostWeightFor("acme-weight") == deployment, "B falls back to the deployment's default once acme-weight's is cleared");
        var unknown = await Assert.ThrowsAsync<ServiceException>(() => _a.SetTenantDefaultCostWeightAsync("no-such-tenant", 1));
        Assert.Equal(ServiceErrorCode.NotFound, unknown.Code);
        var invalid = await Assert.ThrowsAsync<ServiceException>(() => _a.SetTenantDefaultCostWeightAsync("acme-weight", -2));
        Assert.Equal(ServiceErrorCode.BadUserInput, invalid.Code);
        Assert.Equal(deployment, _b.DefaultCostWeightFor("acme-weight"));
    }

    [Fact]
    public async Task Activation_and_rollback_on_one_engine_and_a_default_cost_weight_reach_the_other()
    {
        var bundled = BundledPolicy.Version;
        var copy = await RegisterCopyOfBundledPolicyAsync("follow-" + Guid.NewGuid().ToString("N")[..8]);

        await _a.ActivatePolicyAsync(copy);
        await EventuallyAsync(() => _b.ActiveVersion == copy, "B serves the version A activated");
        Assert.Equal(copy, (await _b.RouteAsync(Tenants.Default, Route("p"))).PolicyVersion);

        await _a.RollbackPolicyAsync();
        await EventuallyAsync(() => _b.ActiveVersion == bundled, "B serves the version A rolled back to");

        await _a.SetDefaultCostWeightAsync(4.25);
        await EventuallyAsync(() => _b.DefaultCostWeight == 4.25, "B uses the default costWeight A stored");
    }

    [Fact]
    public async Task A_corrupt_policy_activated_in_the_store_is_refused_and_the_current_one_keeps_serving()
    {
        var bundled = BundledPolicy.Version;
        var corrupt = await RegisterCopyOfBundledPolicyAsync("corrupt-" + Guid.NewGuid().ToString("N")[..8], corrupt: true);
        var applied = _b.Follower!.Applied;

        // As the CLI or a worker would: straight into the store, no engine verifying it first.
        await _storeA.ActivatePolicyAsync(corrupt);
        await EventuallyAsync(() => _b.Follower.Applied > applied, "B read the activation");

        Assert.Equal(bundled, _b.ActiveVersion);
        Assert.Equal(bundled, (await _b.RouteAsync(Tenants.Default, Route("still-serving"))).PolicyVersion);
        Assert.Contains($"policy {corrupt}, activated elsewhere, was refused here", _logB.ToString(), StringComparison.Ordinal);
        await _storeA.ActivatePolicyAsync(bundled);
    }

    [Fact]
    public async Task After_the_feed_fails_the_follower_backs_off_resyncs_from_the_store_and_follows_again()
    {
        var resyncs = _b.Follower!.Resyncs;

        // The log disappears for a while (its table renamed): reads fail. A setting written meanwhile, straight
        // into the table and so without a change row, can only reach B through the resync.
        await ExecuteAsync("ALTER TABLE change_log RENAME TO change_log_away");
        await EventuallyAsync(() => _logB.ToString().Contains("following store changes failed", StringComparison.Ordinal), "B reports the failure");
        await ExecuteAsync($"INSERT INTO settings (key, value_json, updated_at) VALUES ('{StoreSettings.DefaultCostWeight}', '7.5', 0) ON CONFLICT (key) DO UPDATE SET value_json = '7.5'");
        await ExecuteAsync("INSERT INTO tenants (id, created_at, default_cost_weight) VALUES ('resync-tenant', 0, 0.5)");
        await ExecuteAsync("ALTER TABLE change_log_away RENAME TO change_log");

        await EventuallyAsync(() => _b.Follower.Resyncs > resyncs, "B resyncs");
        Assert.Equal(7.5, _b.DefaultCostWeight);
        Assert.Equal(0.5, _b.DefaultCostWeightFor("resync-tenant"));
        await _a.SetDefaultCostWeightAsync(1.75);
        await EventuallyAsync(() => _b.DefaultCostWeight == 1.75, "B follows changes again");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database};Pooling=False;Default Timeout=30");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stops the engines (and their followers) before the stores close under them.</summary>
    public void Dispose()
    {
        _a?.Dispose();
        _b?.Dispose();
        _logB.Dispose();
    }

    public async Task DisposeAsync()
    {
        Dispose();
        if (_storeA is not null)
        {
            await _storeA.DisposeAsync();
        }
        if (_storeB is not null)
        {
            await _storeB.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
