using System.Text.Json;
using GraphRouter.Routing.Policies;
using GraphRouter.Serving.Engine;
using GraphRouter.Serving.Runtime;
using GraphRouter.Storage;
using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Cli.Tests;

/// <summary>
/// Several <c>graphrouter serve</c> processes on one store, as a deployment runs them: feedback received by
/// one changes that user's routing on the other, a policy activated or rolled back through one (or by a
/// <c>graphrouter policy activate</c> run) serves on the other. Every wait polls with a generous limit;
/// nothing asserts on elapsed time (graphrouter-load propagation measures the delays).
/// </summary>
public abstract class MultiInstanceContract
{
    private const string RouteQuery = "query($input: RouteInput!) { route(input: $input) { policyVersion userInteractions ranking { model score } } }";
    private const string Feedback = "mutation($input: FeedbackInput!) { submitFeedback(input: $input) { accepted duplicate } }";
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    private readonly StoreUnderTest _store;

    protected MultiInstanceContract(StoreUnderTest store) => _store = store;

    private static Task<JsonElement> RouteAsync(ServeProcess server, string user) =>
        server.DataAsync(RouteQuery, new { input = new { userId = user, query = "Explain how vaccines train the immune system.", costWeight = 0.0 } })
            .ContinueWith(t => t.Result.GetProperty("route"), TaskScheduler.Default);

    /// <summary>The variables of the <paramref name="i"/>-th feedback of these tests: <paramref name="loved"/> rated 10, <paramref name="hated"/> 1.</summary>
    private static object BreadFeedback(string user, int i, string loved, string hated) => new
    {
        input = new
        {
            idempotencyKey = $"{user}-{i}",
            userId = user,
            conversationId = $"c{i}",
            query = $"Question {i} about sourdough bread",
            responses = new object[] { new { model = loved, rating = 10.0 }, new { model = hated, rating = 1.0 } },
        },
    };

    /// <summary>A model's score in a route's ranking.</summary>
    private static double Score(JsonElement route, string model) =>
        route.GetProperty("ranking").EnumerateArray().Single(s => s.GetProperty("model").GetString() == model).GetProperty("score").GetDouble();

    private static Task<JsonElement> EventuallyAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> condition, string what, Func<string> context) =>
        Eventually.ReadsAsync(read, condition, what, Generous, context);

    /// <summary>A copy of the bundled policy sealed under another version, in the store's scratch folder, registered through a store object of this process.</summary>
    private async Task<string> RegisterCopyOfBundledPolicyAsync()
    {
        var version = "multi-" + Guid.NewGuid().ToString("N")[..8];
        var target = Path.Combine(_store.Scratch, "policies", version);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(BundledPolicy.Folder).Where(f => Path.GetFileName(f) != PolicyManifest.FileName))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        PolicyManifestWriter.Write(target, PolicyLoader.Verify(BundledPolicy.Folder) with { Version = version, Created = DateTimeOffset.UtcNow });
        await using var store = await GraphStoreFactory.OpenAsync(StoreLocation.Parse(_store.Store));
        await store.RegisterPolicyAsync(ServiceBootstrap.Registration(PolicyLoader.Verify(target), target));
        return version;
    }

    [StoreFact]
    public async Task Feedback_and_policy_switches_through_one_server_reach_the_other()
    {
        await using var a = await ServeProcess.StartAsync(_store.Store);
        await using var b = await ServeProcess.StartAsync(_store.Store);
        string Logs() => $"A stderr: {a.Errors}\nB stderr: {b.Errors}";
        var user = "multi-" + Guid.NewGuid().ToString("N")[..8];

        var before = await RouteAsync(b, user);
        Assert.Equal(0, before.GetProperty("userInteractions").GetInt32());
        var ranking = before.GetProperty("ranking");
        var last = ranking[ranking.GetArrayLength() - 1].GetProperty("model").GetString()!;
        var first = ranking[0].GetProperty("model").GetString()!;
        for (var i = 0; i < 5; i++)
        {
            var accepted = await a.DataAsync(Feedback, BreadFeedback(user, i, last, first));
            Assert.True(accepted.GetProperty("submitFeedback").GetProperty("accepted").GetBoolean());
        }

        // B had the user's (empty-history) embedding cached: only A's feedback reaching B changes what B routes with.
        var after = await EventuallyAsync(() => RouteAsync(b, user), r => r.GetProperty("userInteractions").GetInt32() == 5, "B routes with the user's 5 interactions", Logs);
        Assert.NotEqual(Score(before, last), Score(after, last));

        var bundled = BundledPolicy.Version;
        var copy = await RegisterCopyOfBundledPolicyAsync();
        var activated = await a.DataAsync("mutation($v: String!) { activatePolicy(version: $v) { version active } }", new { v = copy });
        Assert.Equal(copy, activated.GetProperty("activatePolicy").GetProperty("version").GetString());
        await EventuallyAsync(() => RouteAsync(b, "p1"), r => r.GetProperty("policyVersion").GetString() == copy, "B serves the version activated through A", Logs);
        Assert.Equal(copy, (await b.DataAsync("{ policy { version active } }")).GetProperty("policy").GetProperty("version").GetString());

        var rolledBack = await a.DataAsync("mutation { rollbackPolicy { version } }");
        Assert.Equal(bundled, rolledBack.GetProperty("rollbackPolicy").GetProperty("version").GetString());
        await EventuallyAsync(() => RouteAsync(b, "p2"), r => r.GetProperty("policyVersion").GetString() == bundled, "B serves the version A rolled back to", Logs);
        Assert.Equal(bundled, (await b.DataAsync("{ policy { version } }")).GetProperty("policy").GetProperty("version").GetString());
    }

    private const string TenantRoute = """
        query($input: RouteInput!) { route(input: $input) { userKnown userInteractions ranking { model score probability expectedCostUsd utility } } }
        """;

    /// <summary>Posts with <paramref name="key"/> (a tenant's app key); returns <c>data</c>, failing the test on errors.</summary>
    private static async Task<JsonElement> DataWithKeyAsync(ServeProcess server, string key, string query, object variables)
    {
        var (status, body) = await server.CallAsync(key, query, variables);
        if (status != System.Net.HttpStatusCode.OK || body.TryGetProperty("errors", out _))
        {
            Assert.Fail($"expected data from {server.Address}, got HTTP {(int)status}: {body}");
        }
        return body.GetProperty("data");
    }

    private static async Task<JsonElement> TenantRouteAsync(ServeProcess server, string key, string user) =>
        (await DataWithKeyAsync(server, key, TenantRoute, new { input = new { userId = user, query = "Explain how vaccines train the immune system." } })).GetProperty("route");

    /// <summary>The costWeight a route applied, read back from its ranking: utility = probability - costWeight * expected cost.</summary>
    private static double AppliedCostWeight(JsonElement route)
    {
        var priced = route.GetProperty("ranking").EnumerateArray().First(r => r.GetProperty("expectedCostUsd").GetDouble() > 0);
        return (priced.GetProperty("probability").GetDouble() - priced.GetProperty("utility").GetDouble()) / priced.GetProperty("expectedCostUsd").GetDouble();
    }

    private async Task<string> AppKeyAsync(string tenant)
    {
        var created = await Graphrouter.RunInProcessAsync("keys", "create", "--name", "app-" + tenant, "--role", "app", "--tenant", tenant, "--store", _store.Store);
        Assert.True(created.ExitCode == 0, created.ToString());
        return created.Output.Trim();
    }

    [StoreFact]
    public async Task Two_servers_following_each_other_keep_tenants_apart()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (tenantA, tenantB) = ("multi-a-" + suffix, "multi-b-" + suffix);
        foreach (var tenant in new[] { tenantA, tenantB })
        {
            var created = await Graphrouter.RunInProcessAsync("tenants", "create", tenant, "--store", _store.Store);
            Assert.True(created.ExitCode == 0, created.ToString());
        }
        var (keyA, keyB) = (await AppKeyAsync(tenantA), await AppKeyAsync(tenantB));
        await using var a = await ServeProcess.StartAsync(_store.Store);
        await using var b = await ServeProcess.StartAsync(_store.Store);
        string Logs() => $"A stderr: {a.Errors}\nB stderr: {b.Errors}";
        var user = "shared-" + suffix;

        // B caches both tenants' (empty-history) embeddings of the same user id first.
        var bBeforeA = await TenantRouteAsync(b, keyA, user);
        var bBeforeB = await TenantRouteAsync(b, keyB, user);
        var ranking = bBeforeA.GetProperty("ranking");
        var (first, last) = (ranking[0].GetProperty("model").GetString()!, ranking[ranking.GetArrayLength() - 1].GetProperty("model").GetString()!);
        for (var i = 0; i < 5; i++)
        {
            var stored = (await DataWithKeyAsync(a, keyA, Feedback, BreadFeedback(user, i, last, first))).GetProperty("submitFeedback");
            Assert.False(stored.GetProperty("duplicate").GetBoolean());
        }

        var bAfterA = await EventuallyAsync(() => TenantRouteAsync(b, keyA, user), r => r.GetProperty("userInteractions").GetInt32() == 5,
            "B routes tenant A's user with its 5 interactions", Logs);
        var bAfterB = await TenantRouteAsync(b, keyB, user);
        Assert.NotEqual(Score(bBeforeA, last), Score(bAfterA, last));
        Assert.Equal((false, 0), (bAfterB.GetProperty("userKnown").GetBoolean(), bAfterB.GetProperty("userInteractions").GetInt32()));
        Assert.Equal(Score(bBeforeB, last), Score(bAfterB, last));
        var userQuery = "query($id: ID!) { user(id: $id) { interactions } }";
        Assert.Equal(5, (await DataWithKeyAsync(b, keyA, userQuery, new { id = user })).GetProperty("user").GetProperty("interactions").GetInt32());
        Assert.Equal(JsonValueKind.Null, (await DataWithKeyAsync(b, keyB, userQuery, new { id = user })).GetProperty("user").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await b.DataAsync(userQuery, new { id = user })).GetProperty("user").ValueKind);

        // Tenant B replays one of A's keys through B's server: a fresh feedback of B's user, not a duplicate.
        var replay = (await DataWithKeyAsync(b, keyB, Feedback, BreadFeedback(user, 0, last, first))).GetProperty("submitFeedback");
        Assert.False(replay.GetProperty("duplicate").GetBoolean());
        await EventuallyAsync(() => TenantRouteAsync(a, keyB, user), r => r.GetProperty("userInteractions").GetInt32() == 1, "A routes tenant B's user with its 1 interaction", Logs);
        Assert.Equal(5, (await TenantRouteAsync(a, keyA, user)).GetProperty("userInteractions").GetInt32());

        // A tenant's default costWeight set by the CLI reaches both servers, for that tenant's routes only.
        var set = await Graphrouter.RunProcessAsync("tenants", "set-cost-weight", tenantA, "40", "--store", _store.Store);
        Assert.True(set.ExitCode == 0, set.ToString());
        foreach (var server in new[] { a, b })
        {
            var weighted = await EventuallyAsync(() => TenantRouteAsync(server, keyA, "w"), r => Math.Abs(AppliedCostWeight(r) - 40) < 1e-6, "tenant A's routes use its default costWeight", Logs);
            Assert.Equal(40, AppliedCostWeight(weighted), 6);
            var admin = (await server.DataAsync(TenantRoute, new { input = new { userId = "w", query = "Explain how vaccines train the immune system." } })).GetProperty("route");
            Assert.Equal(AppliedCostWeight(admin), AppliedCostWeight(await TenantRouteAsync(server, keyB, "w")), 6);
            Assert.NotEqual(40, AppliedCostWeight(admin), 6);
        }
    }

    [StoreFact]
    public async Task A_policy_activated_by_the_cli_reaches_a_running_server()
    {
        await using var server = await ServeProcess.StartAsync(_store.Store);
        var copy = await RegisterCopyOfBundledPolicyAsync();

        var cli = await Graphrouter.RunProcessAsync("policy", "activate", copy, "--store", _store.Store);

        Assert.True(cli.ExitCode == 0, cli.ToString());
        await EventuallyAsync(() => RouteAsync(server, "cli-user"), r => r.GetProperty("policyVersion").GetString() == copy,
            "the server serves the version the CLI activated", () => server.Errors);
        Assert.Contains($"policy {copy}, activated elsewhere, now serves here", server.Errors, StringComparison.Ordinal);
        var back = await Graphrouter.RunProcessAsync("policy", "activate", BundledPolicy.Version, "--store", _store.Store);
        Assert.True(back.ExitCode == 0, back.ToString());
        await EventuallyAsync(() => RouteAsync(server, "cli-user"), r => r.GetProperty("policyVersion").GetString() == BundledPolicy.Version,
            "the server serves the bundled version again", () => server.Errors);
    }
}

public sealed class SqliteMultiInstanceTests(SqliteStoreUnderTest store) : MultiInstanceContract(store), IClassFixture<SqliteStoreUnderTest>;

[RequiresPostgres]
public sealed class PostgresMultiInstanceTests(PostgresStoreUnderTest store) : MultiInstanceContract(store), IClassFixture<PostgresStoreUnderTest>;
