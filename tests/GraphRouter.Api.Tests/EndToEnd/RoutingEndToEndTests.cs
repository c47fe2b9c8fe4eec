using System.Text.Json;
using GraphRouter.Storage;
using GraphRouter.Storage.Tenancy;

namespace GraphRouter.Api.Tests.EndToEnd;

/// <summary>route, submitFeedback and the model registry through the real HTTP pipeline and the real engine.</summary>
public sealed class RoutingEndToEndTests : IClassFixture<EngineHost>
{
    private const string Route = """
        query($input: RouteInput!) { route(input: $input) {
          decisionId model policyVersion userKnown userInteractions fallbackFrom explanation
          ranking { model score probability expectedCostUsd utility } } }
        """;
    private const string Feedback = "mutation($input: FeedbackInput!) { submitFeedback(input: $input) { accepted duplicate userInteractions } }";

    private readonly EngineHost _host;

    public RoutingEndToEndTests(EngineHost host) => _host = host;

    private string AnyQuery(int i = 0) => _host.Data.Queries[i].Text;

    private async Task<JsonElement> RouteAsync(object input) => (await _host.DataAsync(Route, new { input })).GetProperty("route");

    [Fact]
    public async Task A_known_user_is_routed_from_their_history_with_a_consistent_ranking()
    {
        var user = _host.Data.ByUser().First().Key;
        var history = _host.Data.Interactions.Count(i => i.User == user);

        var decision = await RouteAsync(new { userId = user, query = AnyQuery() });

        Assert.True(decision.GetProperty("userKnown").GetBoolean());
        Assert.Equal(Math.Min(history, 200), decision.GetProperty("userInteractions").GetInt32());
        Assert.Equal(Serving.Runtime.BundledPolicy.Version, decision.GetProperty("policyVersion").GetString());
        var ranking = decision.GetProperty("ranking").EnumerateArray().ToList();
        Assert.Equal(_host.Data.Llms.Count, ranking.Count);
        Assert.Equal(ranking[0].GetProperty("model").GetString(), decision.GetProperty("model").GetString());
        Assert.Equal(1.0, ranking.Sum(r => r.GetProperty("probability").GetDouble()), 6);
        var utilities = ranking.Select(r => r.GetProperty("utility").GetDouble()).ToList();
        Assert.Equal(utilities.OrderDescending(), utilities);
        Assert.All(ranking, r => Assert.True(r.GetProperty("expectedCostUsd").GetDouble() > 0));
        Assert.StartsWith("d_", decision.GetProperty("decisionId").GetString());
        Assert.Contains($"{Math.Min(history, 200)} interactions", decision.GetProperty("explanation").GetString());
    }

    [Fact]
    public async Task An_unknown_user_gets_the_cold_start_prior()
    {
        var decision = await RouteAsync(new { userId = "never-seen-" + Guid.NewGuid(), query = AnyQuery(3) });

        Assert.False(decision.GetProperty("userKnown").GetBoolean());
        Assert.Equal(0, decision.GetProperty("userInteractions").GetInt32());
        Assert.Contains("new user", decision.GetProperty("explanation").GetString());
    }

    [Fact]
    public async Task Feedback_changes_that_users_very_next_route_and_nobody_elses()
    {
        var user = "fb-" + Guid.NewGuid().ToString("N");
        var bystander = "by-" + Guid.NewGuid().ToString("N");
        var query = AnyQuery(5);
        var before = Scores(await RouteAsync(new { userId = user, query }));
        var bystanderBefore = Scores(await RouteAsync(new { userId = bystander, query }));

        // The user keeps preferring the cheapest model over the priciest one, on several prompts.
        for (var i = 0; i < 5; i++)
        {
            var result = (await _host.DataAsync(Feedback, new
            {
                input = new
                {
                    idempotencyKey = $"{user}-{i}",
                    userId = user,
                    query = AnyQuery(10 + i),
                    responses = new[] { new { model = "mistralai/mistral-7b-chat", rating = 9.0 }, new { model = "gpt-4-1106-preview", rating = 2.0 } },
                },
            })).GetProperty("submitFeedback");
            Assert.True(result.GetProperty("accepted").GetBoolean());
            Assert.Equal(i + 1, result.GetProperty("userInteractions").GetInt32());
        }
        var after = await RouteAsync(new { userId = user, query });
        var afterScores = Scores(after);

        Assert.True(after.GetProperty("userKnown").GetBoolean());
        Assert.Equal(5, after.GetProperty("userInteractions").GetInt32());
        var marginBefore = before["mistralai/mistral-7b-chat"] - before["gpt-4-1106-preview"];
        var marginAfter = afterScores["mistralai/mistral-7b-chat"] - afterScores["gpt-4-1106-preview"];
        Assert.True(marginAfter > marginBefore, $"the preferred model's margin went from {marginBefore} to {marginAfter}");
        Assert.Equal(bystanderBefore, Scores(await RouteAsync(new { userId = bystander, query })));
    }

    [Fact]
    public async Task A_replayed_feedback_says_duplicate_and_changes_nothing()
    {
        var user = "replay-" + Guid.NewGuid().ToString("N");
        var input = new
        {
            idempotencyKey = "replay-key-" + user,
            userId = user,
            query = AnyQuery(20),
            responses = new[] { new { model = "claude-v2", rating = 8.0 }, new { model = "claude-v1", rating = 4.0 } },
        };
        var first = (await _host.DataAsync(Feedback, new { input })).GetProperty("submitFeedback");
        var stats = await _host.Store.GetStatsAsync();
        var scores = Scores(await RouteAsync(new { userId = user, query = AnyQuery(21) }));

        var replay = (await _host.DataAsync(Feedback, new { input })).GetProperty("submitFeedback");

        Assert.False(first.GetProperty("duplicate").GetBoolean());
        Assert.True(replay.GetProperty("accepted").GetBoolean());
        Assert.True(replay.GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, replay.GetProperty("userInteractions").GetInt32());
        Assert.Equivalent(stats, await _host.Store.GetStatsAsync());
        Assert.Equal(scores, Scores(await RouteAsync(new { userId = user, query = AnyQuery(21) })));

        var conflict = await _host.CallAsync(Feedback, new { input = input with { query = AnyQuery(22) } });
        Assert.Equal("CONFLICT", conflict.ErrorCode);
        Assert.Equivalent(stats, await _host.Store.GetStatsAsync());
    }

    public static TheoryData<string, string> BadFeedback => new()
    {
        { "rating above the scale", """{"idempotencyKey":"bad-1","userId":"bad","query":"q","responses":[{"model":"claude-v2","rating":11}]}""" },
        { "rating below the scale", """{"idempotencyKey":"bad-2","userId":"bad","query":"q","responses":[{"model":"claude-v2","rating":0.5}]}""" },
        { "unknown model", """{"idempotencyKey":"bad-3","userId":"bad","query":"q","responses":[{"model":"no/such-model","rating":5}]}""" },
        { "no responses", """{"idempotencyKey":"bad-4","userId":"bad","query":"q","responses":[]}""" },
        { "empty query", """{"idempotencyKey":"bad-5","userId":"bad","query":"  ","responses":[{"model":"claude-v2","rating":5}]}""" },
        { "empty user", """{"idempotencyKey":"bad-6","userId":"","query":"q","responses":[{"model":"claude-v2","rating":5}]}""" },
        { "model rated twice", """{"idempotencyKey":"bad-7","userId":"bad","query":"q","responses":[{"model":"claude-v2","rating":5},{"model":"claude-v2","rating":6}]}""" },
        { "negative cost", """{"idempotencyKey":"bad-8","userId":"bad","query":"q","responses":[{"model":"claude-v2","rating":5,"costUsd":-1}]}""" },
        { "negative step", """{"idempotencyKey":"bad-9","userId":"bad","step":-1,"query":"q","responses":[{"model":"claude-v2","rating":5}]}""" },
        { "rating of the wrong type", """{"idempotencyKey":"bad-10","userId":"bad","query":"q","responses":[{"model":"claude-v2","rating":"high"}]}""" },
        { "missing idempotency key", """{"userId":"bad","query":"q","responses":[{"model":"claude-v2","rating":5}]}""" },
    };

    [Theory]
    [MemberData(nameof(BadFeedback))]
    public async Task Bad_feedback_is_BAD_USER_INPUT_and_stores_nothing(string why, string inputJson)
    {
        var stats = await _host.Store.GetStatsAsync();

        var call = await _host.CallAsync(Feedback, new { input = JsonDocument.Parse(inputJson).RootElement });

        Assert.True(call.ErrorCode == "BAD_USER_INPUT", $"{why}: {call.Body}");
        Assert.Equivalent(stats, await _host.Store.GetStatsAsync());
        Assert.Null(await _host.Store.GetUserSummaryAsync(TenantUser.InDefaultTenant("bad")));
    }

    public static TheoryData<string, string, string> BadRoutes => new()
    {
        { "negative cost weight", """{"userId":"u","query":"q","costWeight":-1}""", "BAD_USER_INPUT" },
        { "negative cost limit", """{"userId":"u","query":"q","maxCostUsd":-0.5}""", "BAD_USER_INPUT" },
        { "empty query", """{"userId":"u","query":""}""", "BAD_USER_INPUT" },
        { "unknown candidate", """{"userId":"u","query":"q","candidates":["no/such-model"]}""", "BAD_USER_INPUT" },
        { "empty candidate list", """{"userId":"u","query":"q","candidates":[]}""", "BAD_USER_INPUT" },
        { "a cost limit nothing meets", """{"userId":"u","query":"q","maxCostUsd":0}""", "NO_CANDIDATES" },
    };

    [Theory]
    [MemberData(nameof(BadRoutes))]
    public async Task Bad_routes_get_a_clear_code(string why, string inputJson, string code)
    {
        var stats = await _host.Store.GetStatsAsync();

        var call = await _host.CallAsync(Route, new { input = JsonDocument.Parse(inputJson).RootElement });

        Assert.True(call.ErrorCode == code, $"{why}: {call.Body}");
        Assert.Contains(" ", call.ErrorMessage);
        Assert.Equivalent(stats, await _host.Store.GetStatsAsync());
    }

    [Fact]
    public async Task Cost_weight_and_limit_shape_the_choice()
    {
        var query = AnyQuery(30);
        var free = await RouteAsync(new { userId = "cost-user", query, costWeight = 0.0 });
        var thrifty = await RouteAsync(new { userId = "cost-user", query, costWeight = 1000.0 });
        var limit = free.GetProperty("ranking").EnumerateArray().Select(r => r.GetProperty("expectedCostUsd").GetDouble()).Order().ElementAt(3);
        var capped = await RouteAsync(new { userId = "cost-user", query, maxCostUsd = limit });

        var cheapest = thrifty.GetProperty("ranking").EnumerateArray().MinBy(r => r.GetProperty("expectedCostUsd").GetDouble());
        Assert.Equal(cheapest.GetProperty("model").GetString(), thrifty.GetProperty("model").GetString());
        Assert.Equal(4, capped.GetProperty("ranking").GetArrayLength());
        Assert.All(capped.GetProperty("ranking").EnumerateArray(), r => Assert.True(r.GetProperty("expectedCostUsd").GetDouble() <= limit));
    }

    [Fact]
    public async Task An_unavailable_model_is_skipped_and_reported_as_the_fallback()
    {
        var query = AnyQuery(40);
        var user = "avail-" + Guid.NewGuid().ToString("N");
        var best = (await RouteAsync(new { userId = user, query })).GetProperty("model").GetString()!;
        try
        {
            var off = await _host.DataAsync("mutation($m: String!) { setModelAvailability(model: $m, available: false) { name available } }", new { m = best });
            Assert.False(off.GetProperty("setModelAvailability").GetProperty("available").GetBoolean());

            var decision = await RouteAsync(new { userId = user, query });

            Assert.NotEqual(best, decision.GetProperty("model").GetString());
            Assert.Equal([best], decision.GetProperty("fallbackFrom").EnumerateArray().Select(e => e.GetString()));
            Assert.DoesNotContain(best, decision.GetProperty("ranking").EnumerateArray().Select(r => r.GetProperty("model").GetString()));
            Assert.Contains(best, decision.GetProperty("explanation").GetString());
        }
        finally
        {
            await _host.DataAsync("mutation($m: String!) { setModelAvailability(model: $m, available: true) { name } }", new { m = best });
        }
        Assert.Equal(best, (await RouteAsync(new { userId = user, query })).GetProperty("model").GetString());
        var unknown = await _host.CallAsync("mutation { setModelAvailability(model: \"no/such\", available: false) { name } }");
        Assert.Equal("NOT_FOUND", unknown.ErrorCode);
    }

    [Fact]
    public async Task A_registered_model_the_policy_cannot_score_is_listed_but_not_routed_to()
    {
        var name = "acme/new-" + Guid.NewGuid().ToString("N")[..8];
        var registered = await _host.DataAsync(
            "mutation($input: ModelInput!) { registerModel(input: $input) { name description inputPricePerMillion outputPricePerMillion available knownToPolicy } }",
            new { input = new { name, description = "a new model", inputPricePerMillion = 1.0, outputPricePerMillion = 2.0 } });
        var models = await _host.DataAsync("{ models { name knownToPolicy } }");

        var model = registered.GetProperty("registerModel");
        Assert.True(model.GetProperty("available").GetBoolean());
        Assert.False(model.GetProperty("knownToPolicy").GetBoolean());
        Assert.Contains(models.GetProperty("models").EnumerateArray(), m => m.GetProperty("name").GetString() == name);
        var decision = await RouteAsync(new { userId = "u-new-model", query = AnyQuery(50) });
        Assert.DoesNotContain(name, decision.GetProperty("ranking").EnumerateArray().Select(r => r.GetProperty("model").GetString()));
        var asked = await _host.CallAsync(Route, new { input = new { userId = "u-new-model", query = AnyQuery(50), candidates = new[] { name } } });
        Assert.Equal("BAD_USER_INPUT", asked.ErrorCode);
        Assert.Contains("no learned vector", asked.ErrorMessage);
        var bad = await _host.CallAsync("mutation { registerModel(input: { name: \"x\", inputPricePerMillion: -1 }) { name } }");
        Assert.Equal("BAD_USER_INPUT", bad.ErrorCode);
    }

    [Fact]
    public async Task The_user_query_reports_interactions_and_embedding()
    {
        var user = _host.Data.ByUser().Skip(2).First().Key;

        var found = (await _host.DataAsync("query($id: ID!) { user(id: $id) { id interactions lastSeen embeddingNorm } }", new { id = user })).GetProperty("user");
        var missing = (await _host.DataAsync("{ user(id: \"nobody-at-all\") { id } }")).GetProperty("user");

        Assert.Equal(user, found.GetProperty("id").GetString());
        Assert.Equal(_host.Data.Interactions.Count(i => i.User == user), found.GetProperty("interactions").GetInt32());
        Assert.True(found.GetProperty("embeddingNorm").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, missing.ValueKind);
    }

    [Fact]
    public async Task Ready_once_a_policy_is_loaded_and_the_store_answers()
    {
        using var response = await _host.Client.GetAsync("/readyz");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(Serving.Runtime.BundledPolicy.Version, body);
    }

    private static Dictionary<string, double> Scores(JsonElement decision) =>
        decision.GetProperty("ranking").EnumerateArray().ToDictionary(r => r.GetProperty("model").GetString()!, r => r.GetProperty("score").GetDouble());
}
