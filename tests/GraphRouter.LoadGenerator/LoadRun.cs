using System.Diagnostics;
using System.Globalization;
using System.Text;
using GraphRouter.Core.Datasets;

namespace GraphRouter.LoadGenerator;

/// <summary>
/// Closed-loop load on loopback, one phase after another on the same server: the trivial query
/// <c>{ __typename }</c>, <c>route</c> for the dataset's users on its prompts, and <c>submitFeedback</c> (each a
/// new idempotency key, so every call is a durable commit). Each phase runs <c>workers</c> concurrent clients for
/// a fixed time after a warm-up, and reports throughput and client and server latency percentiles and, given the
/// server's pid, the CPU each request cost the server and the load generator (both share the machine's cores, so
/// a phase's throughput is bounded by their sum). Besides the full route (the whole ranking, as the README's
/// example asks), a second route phase asks only what an application needs to call the model and send feedback.
/// </summary>
public static class LoadRun
{
    private const string Typename = "{ __typename }";
    private const string Route = "query($input: RouteInput!) { route(input: $input) { decisionId model policyVersion userKnown ranking { model score probability expectedCostUsd utility } } }";
    private const string RouteDecision = "query($input: RouteInput!) { route(input: $input) { decisionId model } }";
    private const string Feedback = "mutation($input: FeedbackInput!) { submitFeedback(input: $input) { accepted duplicate userInteractions } }";

    public static async Task<string> RunAsync(Uri server, PreferenceDataset data, int workers, TimeSpan duration, TimeSpan warmup, int? serverPid, TextWriter log)
    {
        using var client = new GraphQLClient(server, workers);
        var users = data.ByUser().Select(g => g.Key).ToArray();
        var queries = data.Queries.Select(q => q.Text).ToArray();
        var models = data.Llms.Select(l => l.Name).ToArray();
        var run = Guid.NewGuid().ToString("N")[..8];
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"load run {run}: {workers} concurrent clients, {duration.TotalSeconds:0} s per phase after {warmup.TotalSeconds:0} s warm-up, {server}");
        report.AppendLine();
        report.AppendLine("| phase | requests | failed | req/s | client p50 | client p99 | server p50 | server p99 | server CPU / request | load generator CPU / request |");
        report.AppendLine("|---|---|---|---|---|---|---|---|---|---|");

        // Worker w's i-th prompt, the same for a route and a feedback.
        string Query(int w, long i) => queries[(int)((i * 104729 + w * 31) % queries.Length)];
        object RouteInput(int w, long i) => new { input = new { userId = users[(int)((i * 7919 + w) % users.Length)], query = Query(w, i) } };
        var phases = new (string Name, Func<int, long, (string, object?)> Request)[]
        {
            ("{ __typename }", (_, _) => (Typename, null)),
            ("route", (w, i) => (Route, RouteInput(w, i))),
            ("route { decisionId model }", (w, i) => (RouteDecision, RouteInput(w, i))),
            ("submitFeedback", (w, i) => FeedbackRequest(run, $"{w}-{i}", $"load-{run}-{w % 16}", Query(w, i), models, i)),
        };
        var rates = new Dictionary<string, double>();
        foreach (var (name, request) in phases)
        {
            var result = await PhaseAsync(client, workers, warmup, duration, request, name, serverPid, log);
            rates[name] = result.Rate;
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {result.Client.Count:N0} | {result.Failed} | {result.Rate:N0} | {result.Client.Percentile(50):0.000} ms | {result.Client.Percentile(99):0.000} ms | {Ms(result.Server, 50)} | {Ms(result.Server, 99)} | {PerRequest(result.ServerCpu, result.Client.Count)} | {PerRequest(result.SelfCpu, result.Client.Count)} |");
        }
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"route throughput / `{{ __typename }}` throughput = {rates["route"] / rates["{ __typename }"]:0.00} (full ranking), {rates["route { decisionId model }"] / rates["{ __typename }"]:0.00} (decision only)");
        return report.ToString();
    }

    /// <summary>
    /// A <c>submitFeedback</c> with a new idempotency key (<paramref name="run"/>, <paramref name="key"/>): two of
    /// <paramref name="models"/> rated for <paramref name="user"/> on <paramref name="query"/>, chosen and rated by <paramref name="i"/>.
    /// </summary>
    internal static (string Document, object Variables) FeedbackRequest(string run, string key, string user, string query, string[] models, long i) => (Feedback, new
    {
        input = new
        {
            idempotencyKey = $"load-{run}-{key}",
            userId = user,
            query,
            responses = new[]
            {
                new { model = models[(int)(i % models.Length)], rating = 1.0 + (i % 10) },
                new { model = models[(int)((i + 1) % models.Length)], rating = 10.0 - (i % 10) },
            },
        },
    });

    internal static Task Until(long timestamp)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        return wait > TimeSpan.Zero ? Task.Delay(wait) : Task.CompletedTask;
    }

    /// <summary>CPU per request, total with the kernel's part beside it.</summary>
    internal static string PerRequest(CpuTimes? cpu, int requests) =>
        cpu is { } time && requests > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{time.Total.TotalMicroseconds / requests:0} µs (kernel {time.System.TotalMicroseconds / requests:0})")
            : "n/a";

    internal static string Ms(LatencySamples samples, double p) =>
        samples.Count == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{samples.Percentile(p):0.000} ms");

    private static async Task<PhaseResult> PhaseAsync(
        GraphQLClient client, int workers, TimeSpan warmup, TimeSpan duration,
        Func<int, long, (string Document, object? Variables)> request, string name, int? serverPid, TextWriter log)
    {
        var clientLatency = new LatencySamples();
        var serverLatency = new LatencySamples();
        long failed = 0;
        string? firstError = null;
        var counter = 0L;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var i = Interlocked.Increment(ref counter);
                var (document, variables) = request(w, i);
                var call = await client.PostAsync(document, variables, CancellationToken.None);
                if (Stopwatch.GetTimestamp() < measureFrom)
                {
                    continue;
                }
                if (!call.Ok)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, $"HTTP {call.Status}: {call.Errors}", null);
                    continue;
                }
                clientLatency.Add(call.ClientMs);
                if (call.ServerMs is { } server)
                {
                    serverLatency.Add(server);
                }
            }
        })).ToArray();
        // CPU over the measured window only: read when it opens and when it closes.
        var cpu = Task.Run(async () =>
        {
            await Until(measureFrom);
            var (server0, self0) = (ProcessCpu.Of(serverPid), ProcessCpu.Self());
            await Until(stopAt);
            var (server1, self1) = (ProcessCpu.Of(serverPid), ProcessCpu.Self());
            return (Server: server1 - server0, Self: self1 - self0);
        });
        await Task.WhenAll(tasks);
        var (serverCpu, selfCpu) = await cpu;
        var rate = clientLatency.Count / duration.TotalSeconds;
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {clientLatency.Count:N0} ok, {failed} failed, {rate:N0} req/s; client {clientLatency.Summary()}; server {(serverLatency.Count > 0 ? serverLatency.Summary() : "n/a")}"));
        if (firstError is not null)
        {
            await log.WriteLineAsync($"  first failure: {firstError}");
        }
        return new PhaseResult(clientLatency, serverLatency, failed, rate, serverCpu, selfCpu);
    }

    private sealed record PhaseResult(LatencySamples Client, LatencySamples Server, long Failed, double Rate, CpuTimes? ServerCpu, CpuTimes SelfCpu);
}
