using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GraphRouter.Core.Datasets;
using GraphRouter.Routing.Policies;
using GraphRouter.Serving.Engine;
using GraphRouter.Storage;

namespace GraphRouter.LoadGenerator;

/// <summary>
/// How long a change made through one instance takes to show on another instance on the same store
/// (issue 6: within a second). Two phases, one change at a time:
/// <list type="bullet">
/// <item>feedback: B routes a fresh user (caching the user's empty-history embedding), A acknowledges a
/// feedback for that user, then B is asked back to back until its route reports the interaction;</item>
/// <item>activation: A activates the other of two policy versions, then B is asked back to back until its
/// route reports that version (this includes B loading and verifying the artifact).</item>
/// </list>
/// The delay is from A's acknowledgement arriving to the arrival of B's first answer showing the change, so it
/// over-counts by up to one route round trip (about a millisecond on loopback). A random pause of 0 to 100 ms
/// before each change keeps the changes out of step with B's polling (SQLite) or waiting cycle.
/// </summary>
public static class Propagation
{
    private const string Route = "query($input: RouteInput!) { route(input: $input) { policyVersion userInteractions } }";
    private const string Feedback = "mutation($input: FeedbackInput!) { submitFeedback(input: $input) { accepted duplicate } }";
    private const string Activate = "mutation($v: String!) { activatePolicy(version: $v) { version } }";
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(30);

    /// <param name="store">The store both servers use, to register a second policy version when it holds only one (null: it must hold two).</param>
    public static async Task<string> RunAsync(Uri a, Uri b, string? store, int n, int activations, TextWriter log)
    {
        using var clientA = new GraphQLClient(a, 2);
        using var clientB = new GraphQLClient(b, 2);
        var run = Guid.NewGuid().ToString("N")[..8];
        var query = "Explain the difference between a list and a tuple in Python.";

        var random = new Random(17);
        var feedback = new LatencySamples();
        for (var i = 0; i < n; i++)
        {
            var user = $"propagation-{run}-{i}";
            var warm = Require(await clientB.PostAsync(Route, new { input = new { userId = user, query } }, CancellationToken.None), "route on B");
            if ((int)warm["route"]!["userInteractions"]! != 0)
            {
                throw new InvalidOperationException($"user {user} is not new on B");
            }
            // A random pause, so that changes do not arrive in step with B's polling or waiting cycle.
            await Task.Delay(random.Next(0, 100));
            Require(await clientA.PostAsync(Feedback, new
            {
                input = new
                {
                    idempotencyKey = $"{user}-0",
                    userId = user,
                    query,
                    responses = new object[] { new { model = "gpt-4-1106-preview", rating = 9.0 }, new { model = "gpt-3.5-turbo-1106", rating = 2.0 } },
                },
            }, CancellationToken.None), "submitFeedback on A");
            var acknowledged = Stopwatch.GetTimestamp();
            feedback.Add(await UntilAsync(clientB, new { input = new { userId = user, query } }, d => (int)d["route"]!["userInteractions"]! == 1, acknowledged, $"B never saw {user}'s feedback"));
            if ((i + 1) % 50 == 0)
            {
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"feedback {i + 1}/{n}: {feedback.Summary()}"));
            }
        }

        var versions = await TwoVersionsAsync(clientA, store, log);
        var activation = new LatencySamples();
        for (var i = 0; i < activations; i++)
        {
            var target = versions[(i + 1) % 2];
            await Task.Delay(random.Next(0, 100));
            var done = Require(await clientA.PostAsync(Activate, new { v = target }, CancellationToken.None), "activatePolicy on A");
            var acknowledged = Stopwatch.GetTimestamp();
            if ((string?)done["activatePolicy"]!["version"] != target)
            {
                throw new InvalidOperationException($"A activated {done} instead of {target}");
            }
            activation.Add(await UntilAsync(clientB, new { input = new { userId = $"propagation-{run}-p", query } }, d => (string?)d["route"]!["policyVersion"] == target, acknowledged, $"B never served {target}"));
        }
        // Leave the version that was active at the start active again.
        if (activations % 2 == 1)
        {
            Require(await clientA.PostAsync(Activate, new { v = versions[0] }, CancellationToken.None), "activatePolicy on A");
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"| change (A -> B) | samples | p50 | p90 | p99 | max |");
        report.AppendLine("|---|---|---|---|---|---|");
        report.AppendLine(Row("feedback -> B routes with it", feedback));
        report.AppendLine(Row("activatePolicy -> B serves it", activation));
        return report.ToString();
    }

    private static string Row(string name, LatencySamples samples) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {samples.Count} | {samples.Percentile(50):0.0} ms | {samples.Percentile(90):0.0} ms | {samples.Percentile(99):0.0} ms | {samples.Percentile(100):0.0} ms |");

    /// <summary>Asks B back to back until <paramref name="shows"/> holds; the milliseconds from <paramref name="since"/> to that answer.</summary>
    private static async Task<double> UntilAsync(GraphQLClient b, object variables, Func<JsonNode, bool> shows, long since, string failure)
    {
        while (true)
        {
            var data = Require(await b.PostAsync(Route, variables, CancellationToken.None), "route on B");
            var elapsed = Stopwatch.GetElapsedTime(since);
            if (shows(data))
            {
                return elapsed.TotalMilliseconds;
            }
            if (elapsed > GiveUp)
            {
                throw new InvalidOperationException($"{failure} within {GiveUp.TotalSeconds} s");
            }
        }
    }

    /// <summary>The active version and another registered one; registers a re-sealed copy of the active policy when there is none.</summary>
    internal static async Task<string[]> TwoVersionsAsync(GraphQLClient a, string? store, TextWriter log)
    {
        var listed = Require(await a.PostAsync("{ policies { version active } }", null, CancellationToken.None), "policies");
        var policies = ((JsonArray)listed["policies"]!).Select(p => ((string)p!["version"]!, (bool)p["active"]!)).ToList();
        var active = policies.Single(p => p.Item2).Item1;
        var other = policies.Where(p => !p.Item2).Select(p => p.Item1).FirstOrDefault();
        if (other is null)
        {
            if (store is null)
            {
                throw new InvalidOperationException("the store holds one policy: pass --store so that a copy can be registered");
            }
            await using var graph = await GraphStoreFactory.OpenAsync(StoreLocation.Parse(store));
            var source = (await graph.GetActivePolicyAsync())!.Path;
            other = active + "-propagation";
            // Beside neither server's bundled data: a temp folder both (on this machine) can read.
            var target = Path.Combine(Path.GetTempPath(), "graphrouter-propagation", other);
            if (!Directory.Exists(target))
            {
                Directory.CreateDirectory(target);
                foreach (var file in Directory.GetFiles(source).Where(f => Path.GetFileName(f) != PolicyManifest.FileName))
                {
                    File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
                }
                PolicyManifestWriter.Write(target, PolicyLoader.Verify(source) with { Version = other, Created = DateTimeOffset.UtcNow });
            }
            await graph.RegisterPolicyAsync(ServiceBootstrap.Registration(PolicyLoader.Verify(target), target));
            await log.WriteLineAsync($"registered {other} (a re-sealed copy of {active}) at {target}");
        }
        return [active, other];
    }

    internal static JsonNode Require(GraphQLCall call, string what) =>
        call.Ok && call.Data is not null ? call.Data : throw new InvalidOperationException($"{what} failed: HTTP {call.Status} {call.Errors}");
}
