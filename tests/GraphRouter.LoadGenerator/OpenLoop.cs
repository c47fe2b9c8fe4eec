using System.Diagnostics;
using System.Globalization;
using System.Text;
using GraphRouter.Core.Datasets;

namespace GraphRouter.LoadGenerator;

/// <summary>
/// <c>submitFeedback</c> at fixed offered rates (open loop): requests leave on a Poisson schedule whatever the
/// server's pace, and each one's latency runs from its scheduled time to its answer, so a server that falls behind
/// shows it in the percentiles instead of slowing the clients down (no coordinated omission; the schedule's own
/// lag, timers of about a millisecond, counts against the server too, so the round trip from the actual send is
/// reported beside it). The closed-loop
/// <c>load</c> phase measures capacity with its clients saturating both cores; this measures latency at a stated
/// load. Each feedback is a new idempotency key (a durable commit) for one of <c>users</c> users.
/// </summary>
public static class OpenLoop
{
    public static async Task<string> RunAsync(
        Uri server, PreferenceDataset data, IReadOnlyList<double> rates, TimeSpan duration, TimeSpan warmup, int users, int? serverPid, TextWriter log)
    {
        if (rates.Count == 0 || rates.Any(r => r <= 0) || users < 1)
        {
            throw new InvalidOperationException("--rates must be positive numbers and --users at least 1");
        }

        using var client = new GraphQLClient(server, connections: 256);
        var queries = data.Queries.Select(q => q.Text).ToArray();
        var models = data.Llms.Select(l => l.Name).ToArray();
        var run = Guid.NewGuid().ToString("N")[..8];
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"open-loop run {run}: submitFeedback at fixed offered rates (Poisson arrivals), {users} users, {duration.TotalSeconds:0} s per rate after {warmup.TotalSeconds:0} s warm-up, {server}");
        report.AppendLine();
        report.AppendLine("| offered/s | answered/s | failed | p50 / p99 from schedule | round trip p50 / p99 | server p50 / p99 | server CPU / request |");
        report.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var rate in rates)
        {
            var latency = new LatencySamples();
            var roundTrip = new LatencySamples();
            var serverLatency = new LatencySamples();
            long failed = 0;
            string? firstError = null;
            var random = new Random(17);
            var start = Stopwatch.GetTimestamp();
            var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
            var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var sent = new List<Task>();
            CpuTimes? cpuAtStart = null;
            var offset = 0.0;
            for (long i = 0; ; i++)
            {
                offset += -Math.Log(1 - random.NextDouble()) / rate;
                var due = start + (long)(offset * Stopwatch.Frequency);
                if (due >= stopAt)
                {
                    break;
                }

                await LoadRun.Until(due);
                if (cpuAtStart is null && due >= measureFrom)
                {
                    cpuAtStart = ProcessCpu.Of(serverPid);
                }

                var (document, variables) = LoadRun.FeedbackRequest(run, $"{rate}-{i}", $"open-{run}-{i % users}", queries[(int)((i * 104729) % queries.Length)], models, i);
                var measured = due >= measureFrom;
                sent.Add(Task.Run(async () =>
                {
                    var call = await client.PostAsync(document, variables, CancellationToken.None);
                    var fromSchedule = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
                    if (!measured)
                    {
                        return;
                    }
                    if (!call.Ok)
                    {
                        Interlocked.Increment(ref failed);
                        Interlocked.CompareExchange(ref firstError, $"HTTP {call.Status}: {call.Errors}", null);
                        return;
                    }
                    latency.Add(fromSchedule);
                    roundTrip.Add(call.ClientMs);
                    if (call.ServerMs is { } ms)
                    {
                        serverLatency.Add(ms);
                    }
                }));
            }

            await Task.WhenAll(sent);
            var serverCpu = ProcessCpu.Of(serverPid) - cpuAtStart;
            var answered = latency.Count / duration.TotalSeconds;
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{rate:0}/s offered: {latency.Count:N0} ok, {failed} failed; {latency.Summary()}; server {(serverLatency.Count > 0 ? serverLatency.Summary() : "n/a")}"));
            if (firstError is not null)
            {
                await log.WriteLineAsync($"  first failure: {firstError}");
            }
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {rate:0} | {answered:N0} | {failed} | {LoadRun.Ms(latency, 50)} / {LoadRun.Ms(latency, 99)} | {LoadRun.Ms(roundTrip, 50)} / {LoadRun.Ms(roundTrip, 99)} | {LoadRun.Ms(serverLatency, 50)} / {LoadRun.Ms(serverLatency, 99)} | {LoadRun.PerRequest(serverCpu, latency.Count)} |");
        }

        return report.ToString();
    }
}
