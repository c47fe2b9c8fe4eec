using System.Globalization;
using System.Text.RegularExpressions;
using GraphRouter.Hardening.Tests.Support;
using GraphRouter.Storage.TrainingRuns;

namespace GraphRouter.Hardening.Tests.Observability;

/// <summary>
/// /metrics of the running service (graphrouter serve on SQLite): after a known number of routes and feedbacks,
/// the counters and histogram counts have moved by exactly that much, and the active policy is reported.
/// </summary>
public sealed partial class MetricsTests(SqliteServedStore store) : IClassFixture<SqliteServedStore>
{
    private const string Route = "query($input: RouteInput!) { route(input: $input) { decisionId model fallbackFrom } }";
    private static readonly string[] UnknownCandidates = ["no/such-model"];
    private const string Feedback = "mutation($input: FeedbackInput!) { submitFeedback(input: $input) { accepted duplicate } }";

    [Fact]
    public async Task At_debug_level_every_route_decision_is_logged_with_its_decision_id()
    {
        await using var verbose = await ServeProcess.StartAsync(store.Store, "--log-level", "debug");
        var decision = (await GraphQLReply.PostAsync(verbose.Client, Route, new { input = new { userId = "log-user", query = "Explain recursion." } })).Data("route");
        var id = decision.GetProperty("decisionId").GetString()!;
        var model = decision.GetProperty("model").GetString()!;
        await EventuallyContainsAsync(verbose, $"route decision {id}: {model}");
    }

    private static async Task EventuallyContainsAsync(ServeProcess server, string text)
    {
        for (var attempt = 0; attempt < 200 && !server.RecentOutput.Contains(text, StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(50);
        }
        Assert.Contains(text, server.RecentOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_count_routes_decisions_feedback_and_cache_use_exactly()
    {
        await using var server = await ServeProcess.StartAsync(store.Store);
        var before = await ScrapeAsync(server);

        var models = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var decision = (await GraphQLReply.PostAsync(server.Client, Route, new { input = new { userId = "metrics-user", query = $"Explain recursion, take {i}." } })).Data("route");
            models.Add(decision.GetProperty("model").GetString()!);
        }

        var refused = await GraphQLReply.PostAsync(server.Client, Route, new { input = new { userId = "metrics-user", query = "q", candidates = UnknownCandidates } });
        Assert.Contains("BAD_USER_INPUT", refused.Text, StringComparison.Ordinal);
        var input = new { idempotencyKey = "metrics-1", userId = "metrics-user", query = "Explain recursion.", responses = new[] { new { model = models[0], rating = 8.0 } } };
        (await GraphQLReply.PostAsync(server.Client, Feedback, new { input })).Data("submitFeedback");
        (await GraphQLReply.PostAsync(server.Client, Feedback, new { input })).Data("submitFeedback");
        var outOfScale = await GraphQLReply.PostAsync(server.Client, Feedback, new { input = input with { idempotencyKey = "metrics-2", responses = new[] { new { model = models[0], rating = 99.0 } } } });
        Assert.Contains("BAD_USER_INPUT", outOfScale.Text, StringComparison.Ordinal);
        var after = await ScrapeAsync(server);

        Assert.Equal(5, Delta(before, after, "graphrouter_route_duration_seconds_count{outcome=\"ok\"}"));
        Assert.Equal(1, Delta(before, after, "graphrouter_route_duration_seconds_count{outcome=\"BAD_USER_INPUT\"}"));
        Assert.Equal(5, Delta(before, after, "graphrouter_route_duration_seconds_bucket{outcome=\"ok\",le=\"+Inf\"}"));
        Assert.True(Delta(before, after, "graphrouter_route_duration_seconds_sum{outcome=\"ok\"}") > 0);
        foreach (var model in models.Distinct())
        {
            Assert.Equal(models.Count(m => m == model), Delta(before, after, $"graphrouter_route_decisions_total{{model=\"{model}\"}}"));
        }

        Assert.Equal(3, Delta(before, after, "graphrouter_feedback_duration_seconds_count{outcome=\"ok\"}") + Delta(before, after, "graphrouter_feedback_duration_seconds_count{outcome=\"BAD_USER_INPUT\"}"));
        Assert.Equal(1, Delta(before, after, "graphrouter_feedback_submissions_total{result=\"stored\"}"));
        Assert.Equal(1, Delta(before, after, "graphrouter_feedback_submissions_total{result=\"duplicate\"}"));
        // The one stored feedback asked for one background re-embedding, which ran (the duplicate asks for none).
        Assert.Equal(1, Delta(before, after, "graphrouter_embedding_recomputes_requested_total"));
        Assert.InRange(Delta(before, after, "graphrouter_embedding_recomputes_runs_total"), 0, 1);
        Assert.Equal(1, Delta(before, after, "graphrouter_feedback_submissions_total{result=\"BAD_USER_INPUT\"}"));
        // The same new user five times: the first route computes the embedding, the next four reuse it.
        Assert.True(Delta(before, after, "graphrouter_embedding_cache_hits_total") >= 4);
        Assert.True(Delta(before, after, "graphrouter_embedding_cache_misses_total") >= 1);
        Assert.Equal(1, after[$"graphrouter_policy_active{{version=\"{Serving.Runtime.BundledPolicy.Version}\"}}"]);
        Assert.DoesNotContain(after.Keys, k => k.StartsWith("graphrouter_route_fallbacks_total", StringComparison.Ordinal) && after[k] != before.GetValueOrDefault(k));
    }

    [Fact]
    public async Task Metrics_show_training_runs_per_status_and_the_seconds_finished_runs_took()
    {
        await using var server = await ServeProcess.StartAsync(store.Store);
        var before = await ScrapeAsync(server);

        // The runs' workers are other processes: here, this test through its own handle on the store.
        TrainingRunRecord succeeded, failed;
        await using (var runs = await store.OpenAsync())
        {
            await runs.QueueTrainingRunAsync("{}");
            await runs.QueueTrainingRunAsync("{}");
            await runs.QueueTrainingRunAsync("{}");
            var first = (await runs.ClaimTrainingRunAsync("metrics-worker"))!;
            await Task.Delay(30);
            succeeded = await runs.FinishTrainingRunAsync(first.Id, "metrics-worker", new TrainingRunOutcome { Status = TrainingRunStatus.Succeeded });
            var second = (await runs.ClaimTrainingRunAsync("metrics-worker"))!;
            await Task.Delay(10);
            failed = await runs.FinishTrainingRunAsync(second.Id, "metrics-worker", new TrainingRunOutcome { Status = TrainingRunStatus.Failed, Error = "out of memory" });
        }

        var after = await ScrapeAsync(server);

        Assert.Equal(1, Delta(before, after, "graphrouter_training_runs{status=\"QUEUED\"}"));
        Assert.Equal(1, Delta(before, after, "graphrouter_training_runs{status=\"SUCCEEDED\"}"));
        Assert.Equal(1, Delta(before, after, "graphrouter_training_runs{status=\"FAILED\"}"));
        // Every status is reported, zero included, so "none running" is a value and not missing data.
        Assert.Equal(0, after["graphrouter_training_runs{status=\"RUNNING\"}"]);
        Assert.Equal(0, after["graphrouter_training_runs{status=\"REJECTED\"}"]);
        Assert.Equal(Seconds(succeeded), Delta(before, after, "graphrouter_training_runs_duration_seconds_total{status=\"SUCCEEDED\"}"), 6);
        Assert.Equal(Seconds(failed), Delta(before, after, "graphrouter_training_runs_duration_seconds_total{status=\"FAILED\"}"), 6);
        Assert.True(Seconds(succeeded) >= 0.03);
        Assert.Equal(0, after["graphrouter_training_runs_duration_seconds_total{status=\"REJECTED\"}"]);
        Assert.DoesNotContain(after.Keys, k => k == "graphrouter_training_runs_duration_seconds_total{status=\"QUEUED\"}");
    }

    private static double Seconds(TrainingRunRecord run) => (run.Finished!.Value - run.Started!.Value).TotalSeconds;

    /// <summary>GETs /metrics and parses each sample line into series → value.</summary>
    private static async Task<Dictionary<string, double>> ScrapeAsync(ServeProcess server)
    {
        using var response = await server.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                Assert.Matches(TypeOrHelp(), line);
                continue;
            }

            var match = Sample().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            samples[match.Groups["series"].Value] = match.Groups["value"].Value == "+Inf" ? double.PositiveInfinity : double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        return samples;
    }

    private static double Delta(Dictionary<string, double> before, Dictionary<string, double> after, string series) =>
        after.GetValueOrDefault(series) - before.GetValueOrDefault(series);

    [GeneratedRegex(@"^(?<series>[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})?) (?<value>\S+)$")]
    private static partial Regex Sample();

    [GeneratedRegex(@"^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$")]
    private static partial Regex TypeOrHelp();
}
