using System.Net;
using System.Text.Json;
using GraphRouter.Api.Errors;
using GraphRouter.Api.Security;
using GraphRouter.Api.Tests.Support;
using GraphRouter.Storage.ApiKeys;
using GraphRouter.Storage.Tenancy;

namespace GraphRouter.Api.Tests.EndToEnd;

/// <summary>
/// API keys and roles through the real pipeline and the real engine over a real store: who is refused (401, 403),
/// what an app key and an admin key may do, and that a refused mutation changes nothing.
/// </summary>
public sealed class KeyRolesEndToEndTests : IClassFixture<EngineHost>, IDisposable
{
    private const string RegisterModel = """mutation { registerModel(input: { name: "acme/forbidden", inputPricePerMillion: 1, outputPricePerMillion: 2 }) { name } }""";
    private const string Feedback = "mutation($input: FeedbackInput!) { submitFeedback(input: $input) { accepted duplicate userInteractions } }";

    private readonly EngineHost _host;
    private readonly HttpClient _anonymous;
    private readonly HttpClient _app;

    public KeyRolesEndToEndTests(EngineHost host)
    {
        _host = host;
        _anonymous = new HttpClient { BaseAddress = host.Address };
        _app = TestKeys.Client(host.Address, host.AppKey);
    }

    public void Dispose()
    {
        _anonymous.Dispose();
        _app.Dispose();
    }

    private async Task<string[]> ModelNamesAsync() => [.. (await _host.Store.GetModelsAsync()).Select(m => m.Name)];

    [Fact]
    public async Task Without_a_key_or_with_a_bad_one_the_request_is_401_and_stores_nothing()
    {
        var models = await ModelNamesAsync();

        var none = await GraphQLCall.PostQueryAsync(_anonymous, RegisterModel);
        using var unknown = TestKeys.Client(_host.Address, ApiKeySecret.Generate());
        var wrong = await GraphQLCall.PostQueryAsync(unknown, RegisterModel);
        using var malformed = TestKeys.Client(_host.Address, "not-a-key");
        var garbled = await GraphQLCall.PostQueryAsync(malformed, "{ models { name } }");
        var get = await GraphQLCall.GetAsync(_anonymous, "{ models { name } }");

        foreach (var call in new[] { none, wrong, garbled, get })
        {
            call.AssertStatus(HttpStatusCode.Unauthorized);
            Assert.Equal(ApiErrorCode.Unauthenticated, call.ErrorCode);
            Assert.False(call.HasData);
            Assert.StartsWith("Bearer realm=\"graphrouter\"", call.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
        Assert.DoesNotContain("invalid_token", none.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("invalid_token", wrong.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("graphrouter keys create", none.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(models, await ModelNamesAsync());
    }

    [Fact]
    public async Task A_revoked_key_is_refused()
    {
        var key = await TestKeys.CreateAsync(_host.Store, ApiKeyRole.Admin);
        using var client = TestKeys.Client(_host.Address, key);
        // A host with no key cache, so the revocation applies on the next request.
        var (app, address) = await ApiHost.StartAsync(new GraphRouterServerOptions { Security = new ApiSecurityOptions { KeyCacheDuration = TimeSpan.Zero } },
            services => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(services, _host.Store));
        await using var _ = app;
        using var uncached = TestKeys.Client(address, key);

        var before = await GraphQLCall.PostQueryAsync(uncached, "{ __typename }");
        await _host.Store.RevokeApiKeyAsync((await _host.Store.GetApiKeysAsync()).Single(k => k.SecretHash == ApiKeySecret.Hash(key)).Id);
        var after = await GraphQLCall.PostQueryAsync(uncached, "{ __typename }");

        before.AssertStatus(HttpStatusCode.OK);
        after.AssertStatus(HttpStatusCode.Unauthorized);
        Assert.Equal(ApiErrorCode.Unauthenticated, after.ErrorCode);
        await app.StopAsync();
    }

    [Theory]
    [InlineData(RegisterModel, "registerModel")]
    [InlineData("""mutation { setModelAvailability(model: "claude-v2", available: false) { name } }""", "setModelAvailability")]
    [InlineData("mutation { startTraining { id } }", "startTraining")]
    [InlineData("""mutation { activatePolicy(version: "2026.11.23-default.2") { version } }""", "activatePolicy")]
    [InlineData("mutation { rollbackPolicy { version } }", "rollbackPolicy")]
    [InlineData("{ policies { version } }", "policies")]
    [InlineData("{ trainingRuns { id } }", "trainingRuns")]
    [InlineData("{ models { name } ...Admin } fragment Admin on Query { trainingRuns { id } }", "trainingRuns")]
    [InlineData("mutation { ... on Mutation { submitFeedback: registerModel(input: { name: \"x\" }) { name } } }", "registerModel")]
    public async Task An_app_key_is_403_on_admin_fields_and_nothing_changes(string document, string field)
    {
        var models = await _host.Store.GetModelsAsync();
        var runs = await _host.Store.GetTrainingRunsAsync(100);
        var active = await _host.Store.GetActivePolicyAsync();

        var call = await GraphQLCall.PostQueryAsync(_app, document);

        call.AssertStatus(HttpStatusCode.Forbidden);
        Assert.Equal(ApiErrorCode.Forbidden, call.ErrorCode);
        Assert.Contains($"'{field}'", call.ErrorMessage, StringComparison.Ordinal);
        Assert.False(call.HasData);
        Assert.Equal(models, await _host.Store.GetModelsAsync());
        Assert.Equal(runs.Count, (await _host.Store.GetTrainingRunsAsync(100)).Count);
        Assert.Equal(active?.Version, (await _host.Store.GetActivePolicyAsync())?.Version);
    }

    [Fact]
    public async Task An_app_key_routes_sends_feedback_and_reads_users_models_and_the_policy()
    {
        var user = "app-key-" + Guid.NewGuid().ToString("N");
        var query = _host.Data.Queries[3].Text;

        var route = await GraphQLCall.PostQueryAsync(_app, "query($input: RouteInput!) { route(input: $input) { model decisionId } }", new { input = new { userId = user, query } });
        var feedback = await GraphQLCall.PostQueryAsync(_app, Feedback, new
        {
            input = new
            {
                idempotencyKey = user,
                userId = user,
                query,
                responses = new[] { new { model = "claude-v2", rating = 8.0 }, new { model = "claude-v1", rating = 3.0 } },
            },
        });
        var reads = await GraphQLCall.PostQueryAsync(_app, "query($id: ID!) { user(id: $id) { interactions } models { name } policy { version } }", new { id = user });
        using var apiKeyHeader = new HttpClient { BaseAddress = _host.Address };
        apiKeyHeader.DefaultRequestHeaders.Add("X-Api-Key", _host.AppKey);
        var viaGet = await GraphQLCall.GetAsync(apiKeyHeader, "{ models { name } }");

        foreach (var call in new[] { route, feedback, reads, viaGet })
        {
            call.AssertStatus(HttpStatusCode.OK);
            Assert.False(call.Body.TryGetProperty("errors", out _), call.Body.ToString());
        }
        Assert.True(feedback.Body.GetProperty("data").GetProperty("submitFeedback").GetProperty("accepted").GetBoolean());
        Assert.Equal(1, reads.Body.GetProperty("data").GetProperty("user").GetProperty("interactions").GetInt32());
        Assert.Equal(1, (await _host.Store.GetUserSummaryAsync(TenantUser.InDefaultTenant(user)))!.Interactions);
    }

    [Fact]
    public async Task An_admin_key_may_do_everything()
    {
        var name = "acme/admin-" + Guid.NewGuid().ToString("N")[..8];

        var registered = await _host.DataAsync("mutation($input: ModelInput!) { registerModel(input: $input) { name available } }", new { input = new { name } });
        var off = await _host.DataAsync("mutation($m: String!) { setModelAvailability(model: $m, available: false) { available } }", new { m = name });
        var reads = await _host.DataAsync("{ policies { version } trainingRuns { id } models { name } policy { version } }");

        Assert.Equal(name, registered.GetProperty("registerModel").GetProperty("name").GetString());
        Assert.False(off.GetProperty("setModelAvailability").GetProperty("available").GetBoolean());
        Assert.NotEqual(0, reads.GetProperty("policies").GetArrayLength());
        Assert.Equal(JsonValueKind.Array, reads.GetProperty("trainingRuns").ValueKind);
        Assert.Contains(await _host.Store.GetModelsAsync(), m => m.Name == name && !m.Available);
    }

    [Fact]
    public async Task Metrics_need_an_admin_key()
    {
        using var none = await _anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var app = await _app.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var admin = await _host.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var health = await _anonymous.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var ready = await _anonymous.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, app.StatusCode);
        Assert.StartsWith("FORBIDDEN:", await app.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("# TYPE", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
