using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using GraphRouter.Serving.Runtime;
using GraphRouter.Storage.Tests.Postgres;
using Xunit.Abstractions;

namespace GraphRouter.Cli.Tests;

/// <summary>
/// The retraining cycle as a deployment lives it, with real processes only: two <c>graphrouter serve</c> instances
/// (A, B) on one fresh store take feedback; a training run queued through GraphQL is served by
/// <c>graphrouter-train retrain --worker --once</c> while clients keep routing on both (no call may fail); the
/// candidate passes the gate and both instances route with it; rollback through GraphQL, activation and rollback
/// through the <c>graphrouter policy</c> CLI each reach both; a candidate trained on shuffled ratings is rejected
/// by the gate and changes nothing. Every wait polls with a generous limit; nothing asserts on elapsed time.
/// </summary>
public abstract class RetrainingCycleContract
{
    private const string RouteQuery = "query($input: RouteInput!) { route(input: $input) { policyVersion ranking { model } } }";
    private const string FeedbackMutation = "mutation($input: FeedbackInput!) { submitFeedback(input: $input) { accepted duplicate userInteractions } }";
    private const string RunFields = "id status progress policyVersion error metrics { name value }";
    private const string PolicyFields = "version active activatedAt dataSnapshot metrics { name value }";
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    private readonly StoreUnderTest _store;
    private readonly ITestOutputHelper _output;

    protected RetrainingCycleContract(StoreUnderTest store, ITestOutputHelper output)
    {
        _store = store;
        _output = output;
    }

    private static async Task<string> RoutedVersionAsync(ServeProcess server, string user) =>
        (await server.DataAsync(RouteQuery, new { input = new { userId = user, query = "Which sorting algorithm suits nearly sorted data?" } }))
            .GetProperty("route").GetProperty("policyVersion").GetString()!;

    private static async Task EventuallyBothServeAsync(ServeProcess a, ServeProcess b, string version, string what, Func<string> context)
    {
        foreach (var (server, name) in new[] { (a, "A"), (b, "B") })
        {
            var limit = DateTime.UtcNow + Generous;
            string seen;
            while ((seen = await RoutedVersionAsync(server, "cycle-probe")) != version)
            {
                if (DateTime.UtcNow > limit)
                {
                    Assert.Fail($"{name} never served {version} ({what}); it still serves {seen}; {context()}");
                }
                await Task.Delay(50);
            }
            var active = (await server.DataAsync("{ policy { version active } }")).GetProperty("policy");
            Assert.Equal(version, active.GetProperty("version").GetString());
        }
    }

    private static async Task<JsonElement> RunAsync(ServeProcess server, string id)
    {
        var runs = (await server.DataAsync($"{{ trainingRuns(last: 20) {{ {RunFields} }} }}")).GetProperty("trainingRuns");
        return runs.EnumerateArray().Single(r => r.GetProperty("id").GetString() == id);
    }

    private static Dictionary<string, double> Metrics(JsonElement withMetrics) =>
        withMetrics.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble(), StringComparer.Ordinal);

    private static async Task<JsonElement> PolicyAsync(ServeProcess server, string version) =>
        (await server.DataAsync($"{{ policies {{ {PolicyFields} }} }}")).GetProperty("policies").EnumerateArray().Single(p => p.GetProperty("version").GetString() == version);

    /// <summary>
    /// Clients that route on both instances back to back until stopped, and one that watches <c>trainingRuns</c>;
    /// every failure (GraphQL error, HTTP error, exception) is kept.
    /// </summary>
    private sealed class Traffic(ServeProcess a, ServeProcess b, string runId)
    {
        private volatile bool _stopped;
        private readonly List<Task> _clients = [];

        public ConcurrentQueue<string> Failures { get; } = new();

        public ConcurrentDictionary<string, int> VersionsSeen { get; } = new(StringComparer.Ordinal);

        public ConcurrentQueue<(string Status, double Progress)> RunStates { get; } = new();

        public int Routes;

        public void Start(int clients)
        {
            for (var i = 0; i < clients; i++)
            {
                var (server, user) = (i % 2 == 0 ? a : b, $"traffic-{i}");
                _clients.Add(Task.Run(() => RouteUntilStoppedAsync(server, user)));
            }
            _clients.Add(Task.Run(WatchRunAsync));
        }

        private async Task RouteUntilStoppedAsync(ServeProcess server, string user)
        {
            while (!_stopped)
            {
                try
                {
                    VersionsSeen.AddOrUpdate(await RoutedVersionAsync(server, user), 1, (_, n) => n + 1);
                    Interlocked.Increment(ref Routes);
                }
                catch (Exception e)
                {
                    Failures.Enqueue($"{server.Address} route for {user}: {e.Message}");
                }
            }
        }

        private async Task WatchRunAsync()
        {
            while (!_stopped)
            {
                try
                {
                    var run = await RunAsync(a, runId);
                    RunStates.Enqueue((run.GetProperty("status").GetString()!, run.GetProperty("progress").GetDouble()));
                }
                catch (Exception e)
                {
                    Failures.Enqueue($"trainingRuns on A: {e.Message}");
                }
                await Task.Delay(200);
            }
        }

        public async Task StopAsync()
        {
            _stopped = true;
            await Task.WhenAll(_clients);
        }
    }

    [StoreFact]
    public async Task Feedback_retrain_gate_activate_and_rollback_through_graphql_and_the_cli_reach_both_instances()
    {
        var policies = Path.Combine(_store.Scratch, "retrained");
        await using var a = await ServeProcess.StartAsync(_store.Store);
        await using var b = await ServeProcess.StartAsync(_store.Store);
        string Logs() => $"A stderr: {a.Errors}\nB stderr: {b.Errors}";
        var bundled = BundledPolicy.Version;
        Assert.Equal(bundled, await RoutedVersionAsync(a, "cycle-probe"));
        Assert.Equal(bundled, await RoutedVersionAsync(b, "cycle-probe"));

        // (b) feedback from three users, through both instances: what the retrain must see
        var models = (await a.DataAsync(RouteQuery, new { input = new { userId = "cycle-probe", query = "Name a prime number above 100." } }))
            .GetProperty("route").GetProperty("ranking").EnumerateArray().Select(m => m.GetProperty("model").GetString()!).ToList();
        var feedback = 0;
        foreach (var user in new[] { "cycle-ana", "cycle-ben", "cycle-cho" })
        {
            for (var i = 0; i < 4; i++)
            {
                var result = (await (i % 2 == 0 ? a : b).DataAsync(FeedbackMutation, new
                {
                    input = new
                    {
                        idempotencyKey = $"{user}-{i}-{Guid.NewGuid():N}",
                        userId = user,
                        query = $"{user} asks question {i}: how do tides depend on the moon?",
                        responses = new object[] { new { model = models[^1], rating = 9.0 }, new { model = models[0], rating = 2.0 } },
                    },
                })).GetProperty("submitFeedback");
                Assert.True(result.GetProperty("accepted").GetBoolean());
                Assert.Equal(i + 1, result.GetProperty("userInteractions").GetInt32());
                feedback++;
            }
        }

        // (c) a warm-started quick retrain queued through GraphQL
        var queued = (await a.DataAsync("mutation { startTraining(input: {config: \"retrain-quick\", warmStart: true}) { id status progress } }")).GetProperty("startTraining");
        Assert.Equal("QUEUED", queued.GetProperty("status").GetString());
        var runId = queued.GetProperty("id").GetString()!;
        Assert.Equal("QUEUED", (await RunAsync(b, runId)).GetProperty("status").GetString());

        // (d) the worker serves it while four clients keep routing on A and B
        var traffic = new Traffic(a, b, runId);
        traffic.Start(clients: 4);
        CliResult worker;
        try
        {
            worker = await GraphrouterTrain.RunAsync("retrain", "--worker", "--once", "--store", _store.Store, "--policies", policies);
        }
        finally
        {
            await traffic.StopAsync();
        }
        _output.WriteLine($"quick retrain worker: {worker}\n{traffic.Routes} routes during the run; versions seen {string.Join(", ", traffic.VersionsSeen.Select(v => $"{v.Key} x{v.Value}"))}");
        Assert.True(worker.ExitCode == 0, $"{worker}\n{Logs()}");
        Assert.True(traffic.Failures.IsEmpty, $"{traffic.Failures.Count} failed calls during the retrain, first: {traffic.Failures.FirstOrDefault()}");
        Assert.True(traffic.Routes > 0, "no route completed during the retrain");
        Assert.Contains(traffic.RunStates, s => s.Status == "RUNNING" && s.Progress is > 0 and < 1);
        Assert.True(traffic.VersionsSeen.ContainsKey(bundled), "the clients never routed with the bundled policy during the retrain");

        var run = await RunAsync(b, runId);
        Assert.Equal("SUCCEEDED", run.GetProperty("status").GetString());
        Assert.Equal(1.0, run.GetProperty("progress").GetDouble());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("error").ValueKind);
        var retrained = run.GetProperty("policyVersion").GetString()!;
        Assert.NotEqual(bundled, retrained);
        var metrics = Metrics(run);
        Assert.Equal(feedback, metrics["feedbackCount"]);
        Assert.True(metrics["feedbackWatermark"] >= feedback, $"watermark {metrics["feedbackWatermark"]}");
        Assert.Equal(1, metrics["warmStart"]);
        Assert.True(metrics["candidateGateAccuracy"] >= metrics["activeGateAccuracy"] - metrics["gateMargin"], JsonSerializer.Serialize(metrics));
        Assert.True(metrics["gatePairs"] > 0);
        Assert.True(Directory.Exists(Path.Combine(policies, retrained)), $"no folder {retrained} in {policies}");

        // (e) both instances route with the new version; policies shows it active, with its metrics and the snapshot it saw
        await EventuallyBothServeAsync(a, b, retrained, "after the retrain", Logs);
        var active = await PolicyAsync(b, retrained);
        Assert.True(active.GetProperty("active").GetBoolean());
        Assert.NotEmpty(Metrics(active));
        var snapshot = active.GetProperty("dataSnapshot").GetString()!;
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"feedback<={metrics["feedbackWatermark"]:0} ({feedback} feedback,"), snapshot, StringComparison.Ordinal);
        Assert.False((await PolicyAsync(a, bundled)).GetProperty("active").GetBoolean());

        // (f) rollback through GraphQL, then activate and roll back through the CLI: each reaches both instances
        var rolledBack = (await b.DataAsync("mutation { rollbackPolicy { version active } }")).GetProperty("rollbackPolicy");
        Assert.Equal(bundled, rolledBack.GetProperty("version").GetString());
        await EventuallyBothServeAsync(a, b, bundled, "after rollbackPolicy through B", Logs);

        var activate = await Graphrouter.RunProcessAsync("policy", "activate", retrained, "--store", _store.Store);
        Assert.True(activate.ExitCode == 0, activate.ToString());
        Assert.Contains($"active: * {retrained}", activate.Output, StringComparison.Ordinal);
        await EventuallyBothServeAsync(a, b, retrained, "after graphrouter policy activate", Logs);

        var rollback = await Graphrouter.RunProcessAsync("policy", "rollback", "--store", _store.Store);
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Contains($"active: * {bundled}", rollback.Output, StringComparison.Ordinal);
        await EventuallyBothServeAsync(a, b, bundled, "after graphrouter policy rollback", Logs);
        var list = await Graphrouter.RunProcessAsync("policy", "list", "--store", _store.Store);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains($"* {bundled}", list.Output, StringComparison.Ordinal);
        Assert.Contains($"  {retrained}", list.Output, StringComparison.Ordinal);

        // (g) a candidate trained on shuffled ratings is rejected, naming both accuracies; nothing changes
        var shuffledId = (await b.DataAsync("mutation { startTraining(input: {config: \"retrain-shuffled\"}) { id } }")).GetProperty("startTraining").GetProperty("id").GetString()!;
        var shuffledWorker = await GraphrouterTrain.RunAsync("retrain", "--worker", "--once", "--store", _store.Store, "--policies", policies);
        _output.WriteLine($"shuffled retrain worker: {shuffledWorker}");
        Assert.True(shuffledWorker.ExitCode == 4, $"{shuffledWorker}\n{Logs()}");
        var rejected = await RunAsync(a, shuffledId);
        Assert.Equal("REJECTED", rejected.GetProperty("status").GetString());
        var rejectedMetrics = Metrics(rejected);
        var error = rejected.GetProperty("error").GetString()!;
        Assert.Contains(rejectedMetrics["candidateGateAccuracy"].ToString("F4", CultureInfo.InvariantCulture), error, StringComparison.Ordinal);
        Assert.Contains(rejectedMetrics["activeGateAccuracy"].ToString("F4", CultureInfo.InvariantCulture), error, StringComparison.Ordinal);
        Assert.Contains(bundled, error, StringComparison.Ordinal);
        Assert.True(rejectedMetrics["candidateGateAccuracy"] < rejectedMetrics["activeGateAccuracy"] - rejectedMetrics["gateMargin"], error);
        var candidate = rejected.GetProperty("policyVersion").GetString()!;
        Assert.Contains(candidate, error, StringComparison.Ordinal);
        Assert.False((await PolicyAsync(b, candidate)).GetProperty("active").GetBoolean());
        foreach (var server in new[] { a, b })
        {
            Assert.Equal(bundled, await RoutedVersionAsync(server, "cycle-probe"));
            Assert.Equal(bundled, (await server.DataAsync("{ policy { version } }")).GetProperty("policy").GetProperty("version").GetString());
        }
    }
}

public sealed class SqliteRetrainingCycleTests(SqliteStoreUnderTest store, ITestOutputHelper output) : RetrainingCycleContract(store, output), IClassFixture<SqliteStoreUnderTest>;

[RequiresPostgres]
public sealed class PostgresRetrainingCycleTests(PostgresStoreUnderTest store, ITestOutputHelper output) : RetrainingCycleContract(store, output), IClassFixture<PostgresStoreUnderTest>;
