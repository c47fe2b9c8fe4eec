using System.Net;
using System.Text.Json;
using GraphRouter.Api.Tests.Support;
using GraphRouter.Storage;
using GraphRouter.Storage.ApiKeys;
using GraphRouter.Storage.Tenancy;
using GraphRouter.TestSupport;

namespace GraphRouter.Api.Tests.EndToEnd;

/// <summary>
/// Tenancy through the real pipeline and the real engine over a real store: two tenants' app keys address the same user
/// id and never see or change each other's user, feedback or idempotency keys; each tenant's default costWeight applies
/// to its own routes only; an admin key manages the shared deployment but reads only its own tenant's users.
/// </summary>
public sealed class TenancyEndToEndTests : IClassFixture<EngineHost>
{
    private const string Route = """
        query($input: RouteInput!) { route(input: $input) {
          model userKnown userInteractions ranking { model score probability expectedCostUsd utility } } }
        """;
    private const string Feedback = "mutation($input: FeedbackInput!) { submitFeedback(input: $input) { accepted duplicate userInteractions } }";
    private const string User = "query($id: ID!) { user(id: $id) { id interactions lastSeen } }";
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    private readonly EngineHost _host;

    public TenancyEndToEndTests(EngineHost host) => _host = host;

    private string AnyQuery(int i) => _host.Data.Queries[i].Text;

    /// <summary>Two fresh tenants with an app key each (created in the store, as 'graphrouter tenants create' and 'keys create' do).</summary>
    private async Task<(string A, HttpClient AClient, string B, HttpClient BClient)> TwoTenantsAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var a = "tenant-a-" + suffix;
        var b = "tenant-b-" + suffix;
        await _host.Store.CreateTenantAsync(a);
        await _host.Store.CreateTenantAsync(b);
        var aKey = await TestKeys.CreateAsync(_host.Store, ApiKeyRole.App, "app-" + a, a);
        var bKey = await TestKeys.CreateAsync(_host.Store, ApiKeyRole.App, "app-" + b, b);
        return (a, TestKeys.Client(_host.Address, aKey), b, TestKeys.Client(_host.Address, bKey));
    }

    private static async Task<JsonElement> DataAsync(HttpClient client, string query, object variables)
    {
        var call = await GraphQLCall.PostQueryAsync(client, query, variables);
        call.AssertStatus(HttpStatusCode.OK);
        Assert.False(call.Body.TryGetProperty("errors", out _), call.Body.ToString());
        return call.Body.GetProperty("data");
    }

    private static async Task<JsonElement> RouteAsync(HttpClient client, object input) => (await DataAsync(client, Route, new { input })).GetProperty("route");

    private static async Task<JsonElement> FeedbackAsync(HttpClient client, object input) => (await DataAsync(client, Feedback, new { input })).GetProperty("submitFeedback");

    private static async Task<JsonElement> UserAsync(HttpClient client, string id) => (await DataAsync(client, User, new { id })).GetProperty("user");

    private static Dictionary<string, double> Scores(JsonElement route) =>
        route.GetProperty("ranking").EnumerateArray().ToDictionary(r => r.GetProperty("model").GetString()!, r => r.GetProperty("score").GetDouble());

    /// <summary>The costWeight a route applied, read back from its ranking: utility = probability - costWeight * expected cost.</summary>
    private static double AppliedCostWeight(JsonElement route)
    {
        var priced = route.GetProperty("ranking").EnumerateArray().First(r => r.GetProperty("expectedCostUsd").GetDouble() > 0);
        return (priced.GetProperty("probability").GetDouble() - priced.GetProperty("utility").GetDouble()) / priced.GetProperty("expectedCostUsd").GetDouble();
    }

    private object FeedbackInput(string key, string user, int query, double mistral = 9, double gpt4 = 2) => new
    {
        idempotencyKey = key,
        userId = user,
        query = AnyQuery(query),
        responses = new[] { new { model = "mistralai/mistral-7b-chat", rating = mistral }, new { model = "gpt-4-1106-preview", rating = gpt4 } },
    };

    [Fact]
    public async Task One_tenants_feedback_never_shows_in_another_tenants_user_route_or_feedback_counts()
    {
        var (_, aClient, b, bClient) = await TwoTenantsAsync();
        using var _a = aClient;
        using var _b = bClient;
        var user = "shared-" + Guid.NewGuid().ToString("N")[..8];
        var query = AnyQuery(7);
        var coldB = Scores(await RouteAsync(bClient, new { userId = "cold-" + Guid.NewGuid().ToString("N"), query, costWeight = 0.0 }));
        var bBefore = await RouteAsync(bClient, new { userId = user, query, costWeight = 0.0 });

        for (var i = 0; i < 3; i++)
        {
            var stored = await FeedbackAsync(aClient, FeedbackInput($"order-{i}", user, 30 + i));
            Assert.Equal((true, false, i + 1), (stored.GetProperty("accepted").GetBoolean(), stored.GetProperty("duplicate").GetBoolean(), stored.GetProperty("userInteractions").GetInt32()));
        }
        var aRoute = await RouteAsync(aClient, new { userId = user, query, costWeight = 0.0 });
        var bRoute = await RouteAsync(bClient, new { userId = user, query, costWeight = 0.0 });
        var aUser = await UserAsync(aClient, user);
        var bUser = await UserAsync(bClient, user);
        var defaultUser = await UserAsync(_host.Client, user);

        Assert.Equal((true, 3), (aRoute.GetProperty("userKnown").GetBoolean(), aRoute.GetProperty("userInteractions").GetInt32()));
        Assert.Equal((false, 0), (bRoute.GetProperty("userKnown").GetBoolean(), bRoute.GetProperty("userInteractions").GetInt32()));
        Assert.Equal(coldB, Scores(bRoute));
        Assert.Equal(Scores(bBefore), Scores(bRoute));
        Assert.NotEqual(Scores(aRoute), Scores(bRoute));
        Assert.Equal((user, 3), (aUser.GetProperty("id").GetString(), aUser.GetProperty("interactions").GetInt32()));
        Assert.Equal(JsonValueKind.Null, bUser.ValueKind);
        Assert.Equal(JsonValueKind.Null, defaultUser.ValueKind);

        // B replays A's keys, with A's payload and with another: each is a fresh feedback for B, neither a duplicate nor a conflict.
        var sameKeySamePayload = await FeedbackAsync(bClient, FeedbackInput("order-0", user, 30));
        var sameKeyOtherPayload = await FeedbackAsync(bClient, FeedbackInput("order-1", user, 40, mistral: 1, gpt4: 10));
        var bReplay = await FeedbackAsync(bClient, FeedbackInput("order-0", user, 30));
        var aReplay = await FeedbackAsync(aClient, FeedbackInput("order-0", user, 30));

        Assert.Equal((false, 1), (sameKeySamePayload.GetProperty("duplicate").GetBoolean(), sameKeySamePayload.GetProperty("userInteractions").GetInt32()));
        Assert.Equal((false, 2), (sameKeyOtherPayload.GetProperty("duplicate").GetBoolean(), sameKeyOtherPayload.GetProperty("userInteractions").GetInt32()));
        Assert.Equal((true, 2), (bReplay.GetProperty("duplicate").GetBoolean(), bReplay.GetProperty("userInteractions").GetInt32()));
        Assert.Equal((true, 3), (aReplay.GetProperty("duplicate").GetBoolean(), aReplay.GetProperty("userInteractions").GetInt32()));
        Assert.Equal(3, (await UserAsync(aClient, user)).GetProperty("interactions").GetInt32());
        Assert.Equal(2, (await UserAsync(bClient, user)).GetProperty("interactions").GetInt32());
        Assert.Equal(3, (await RouteAsync(aClient, new { userId = user, query })).GetProperty("userInteractions").GetInt32());
        Assert.Equal(2, (await _host.Store.GetUserHistoryAsync(new TenantUser(b, user), 10)).Count);
        Assert.Null(await _host.Store.GetUserSummaryAsync(TenantUser.InDefaultTenant(user)));

        // A conflict stays within a tenant: A's key with another payload is refused for A.
        var conflict = await GraphQLCall.PostQueryAsync(aClient, Feedback, new { input = FeedbackInput("order-0", user, 41) });
        Assert.Equal("CONFLICT", conflict.ErrorCode);
    }

    [Fact]
    public async Task Each_tenants_default_cost_weight_applies_to_its_own_routes_only()
    {
        var (a, aClient, b, bClient) = await TwoTenantsAsync();
        using var _a = aClient;
        using var _b = bClient;
        var deployment = _host.Engine.DefaultCostWeight;
        var query = AnyQuery(12);

        // As 'graphrouter tenants set-cost-weight' does from another process: through another store object on the
        // file, so that the running engine learns it from the change feed.
        await using (var cli = await GraphStoreFactory.OpenAsync(_host.Store.Location))
        {
            await cli.SetTenantCostWeightAsync(b, 40);
        }
        var bRoute = await EventuallyAsync(() => RouteAsync(bClient, new { userId = "w", query }), r => Math.Abs(AppliedCostWeight(r) - 40) < 1e-6, "B's routes use B's default costWeight");
        var aRoute = await RouteAsync(aClient, new { userId = "w", query });
        var defaultRoute = await RouteAsync(_host.Client, new { userId = "w", query });
        var bExplicit = await RouteAsync(bClient, new { userId = "w", query, costWeight = 3.0 });

        Assert.Equal(40, AppliedCostWeight(bRoute), 6);
        Assert.Equal(deployment, AppliedCostWeight(aRoute), 6);
        Assert.Equal(deployment, AppliedCostWeight(defaultRoute), 6);
        Assert.Equal(3, AppliedCostWeight(bExplicit), 6);

        await _host.Engine.SetTenantDefaultCostWeightAsync(a, 7);
        await _host.Engine.SetTenantDefaultCostWeightAsync(b, null);
        Assert.Equal(7, AppliedCostWeight(await RouteAsync(aClient, new { userId = "w", query })), 6);
        Assert.Equal(deployment, AppliedCostWeight(await RouteAsync(bClient, new { userId = "w", query })), 6);
        Assert.Equal(deployment, AppliedCostWeight(await RouteAsync(_host.Client, new { userId = "w", query })), 6);
    }

    [Fact]
    public async Task An_admin_key_manages_the_shared_deployment_but_reads_only_its_own_tenants_users()
    {
        var tenant = "tenant-admin-" + Guid.NewGuid().ToString("N")[..8];
        await _host.Store.CreateTenantAsync(tenant);
        using var admin = TestKeys.Client(_host.Address, await TestKeys.CreateAsync(_host.Store, ApiKeyRole.Admin, "admin-" + tenant, tenant));
        var known = _host.Data.ByUser().First().Key;

        var ownView = await UserAsync(admin, known);
        var defaultView = await UserAsync(_host.Client, known);
        var route = await RouteAsync(admin, new { userId = known, query = AnyQuery(2) });
        var shared = await DataAsync(admin, "{ models { name } policies { version } trainingRuns(last: 1) { id } }", new { });

        Assert.Equal(JsonValueKind.Null, ownView.ValueKind);
        Assert.True(defaultView.GetProperty("interactions").GetInt32() > 0);
        Assert.Equal((false, 0), (route.GetProperty("userKnown").GetBoolean(), route.GetProperty("userInteractions").GetInt32()));
        Assert.Equal(_host.Data.Llms.Count, shared.GetProperty("models").GetArrayLength());
        Assert.Contains(shared.GetProperty("policies").EnumerateArray(), p => p.GetProperty("version").GetString() == Serving.Runtime.BundledPolicy.Version);
    }

    private static Task<JsonElement> EventuallyAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> condition, string what) =>
        Eventually.ReadsAsync(read, condition, what, Generous);
}
