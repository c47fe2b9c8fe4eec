using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using GraphRouter.Core.Datasets;
using ScottPlot;

namespace GraphRouter.LoadGenerator;

/// <summary>
/// A bounded soak test of one running server (issue 7): mixed <c>route</c> and <c>submitFeedback</c> traffic from
/// closed-loop clients for a fixed time, with a policy activation in the middle. Per window it records the
/// requests, failures, client and server p99 and the server's resident memory (read from <c>/proc/PID/status</c>),
/// and it writes the table and a plot of p99 and memory over time. Loopback only, and it stops by itself.
/// </summary>
public static class Sustained
{
    private const string Route = "query($input: RouteInput!) { route(input: $input) { decisionId model policyVersion } }";
    private const string Feedback = "mutation($input: FeedbackInput!) { submitFeedback(input: $input) { accepted duplicate } }";
    private const string Activate = "mutation($v: String!) { activatePolicy(version: $v) { version } }";

    /// <param name="feedbackShare">The share of requests that are feedback (each a new key: a durable commit).</param>
    /// <param name="pid">The server's process id, for its resident memory; null: not recorded.</param>
    /// <param name="store">The server's store, to register a second policy version when it holds one (see <see cref="Propagation"/>).</param>
    public static async Task<string> RunAsync(
        Uri server, PreferenceDataset data, int workers, TimeSpan duration, TimeSpan window, double feedbackShare,
        int? pid, string? store, string? plotPath, TextWriter log)
    {
        if (!IPAddress.TryParse(server.Host, out var address) ? server.Host != "localhost" : !IPAddress.IsLoopback(address))
        {
            throw new InvalidOperationException($"sustained load runs against loopback only, not {server.Host}");
        }
        using var client = new GraphQLClient(server, workers + 1);
        var users = data.ByUser().Select(g => g.Key).ToArray();
        var queries = data.Queries.Select(q => q.Text).ToArray();
        var models = data.Llms.Select(l => l.Name).ToArray();
        var run = Guid.NewGuid().ToString("N")[..8];
        var versions = await Propagation.TwoVersionsAsync(client, store, log);

        var windows = new List<Window>();
        var current = new Window(Rss(pid));
        var gate = new Lock();
        var counter = 0L;
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        string? firstError = null;
        string? activatedAt = null;

        var traffic = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var i = Interlocked.Increment(ref counter);
                var isFeedback = (i * 2654435761L % 1000) < feedbackShare * 1000;
                var query = queries[(int)((i * 104729 + w * 31) % queries.Length)];
                var call = isFeedback
                    ? await client.PostAsync(Feedback, new
                    {
                        input = new
                        {
                            idempotencyKey = $"soak-{run}-{i}",
                            userId = $"soak-{run}-{i % 64}",
                            query,
                            responses = new[]
                            {
                                new { model = models[(int)(i % models.Length)], rating = 1.0 + (i % 10) },
                                new { model = models[(int)((i + 3) % models.Length)], rating = 10.0 - (i % 10) },
                            },
                        },
                    }, CancellationToken.None)
                    : await client.PostAsync(Route, new { input = new { userId = i % 4 == 0 ? $"soak-{run}-{i % 64}" : users[(int)((i * 7919 + w) % users.Length)], query } }, CancellationToken.None);
                lock (gate)
                {
                    current.Add(isFeedback, call);
                }
                if (!call.Ok)
                {
                    Interlocked.CompareExchange(ref firstError, $"HTTP {call.Status}: {call.Errors}", null);
                }
            }
        })).ToArray();

        var activateAt = started + (long)(duration.TotalSeconds / 2 * Stopwatch.Frequency);
        var activated = false;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            await Task.Delay(window);
            if (!activated && Stopwatch.GetTimestamp() >= activateAt)
            {
                activated = true;
                var done = Propagation.Require(await client.PostAsync(Activate, new { v = versions[1] }, CancellationToken.None), "activatePolicy");
                activatedAt = string.Create(CultureInfo.InvariantCulture, $"{Stopwatch.GetElapsedTime(started).TotalSeconds:0} s: activated {done["activatePolicy"]!["version"]}");
                await log.WriteLineAsync(activatedAt);
            }
            Window closed;
            lock (gate)
            {
                closed = current;
                current = new Window(0);
            }
            closed.Close(Stopwatch.GetElapsedTime(started), Rss(pid));
            windows.Add(closed);
            await log.WriteLineAsync(closed.Row());
        }
        await Task.WhenAll(traffic);
        lock (gate)
        {
            current.Close(Stopwatch.GetElapsedTime(started), Rss(pid));
            if (current.Requests > 0)
            {
                windows.Add(current);
            }
        }
        // Leave the version that was active at the start active again.
        Propagation.Require(await client.PostAsync(Activate, new { v = versions[0] }, CancellationToken.None), "activatePolicy");

        var report = new StringBuilder();
        var total = windows.Sum(w => w.Requests);
        var failed = windows.Sum(w => w.Failed);
        report.AppendLine(CultureInfo.InvariantCulture,
            $"sustained run {run}: {workers} clients, {duration.TotalMinutes:0.#} min, {feedbackShare:P0} feedback, {server}; {total:N0} requests, {failed} failed; {activatedAt}");
        if (firstError is not null)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"first failure: {firstError}");
        }
        report.AppendLine();
        report.AppendLine(Window.Header);
        report.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var w in windows)
        {
            report.AppendLine(w.Row());
        }
        if (plotPath is not null)
        {
            Plot(windows, activatedAt, plotPath);
            report.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"plot: {plotPath}");
        }
        return report.ToString();
    }

    private static void Plot(List<Window> windows, string? activatedAt, string path)
    {
        var plot = new Plot();
        var xs = windows.Select(w => w.End.TotalSeconds).ToArray();
        var route = plot.Add.Scatter(xs, windows.Select(w => w.RouteServer.Count > 0 ? w.RouteServer.Percentile(99) : double.NaN).ToArray());
        route.LegendText = "route p99 in the server (ms)";
        var feedback = plot.Add.Scatter(xs, windows.Select(w => w.FeedbackServer.Count > 0 ? w.FeedbackServer.Percentile(99) : double.NaN).ToArray());
        feedback.LegendText = "submitFeedback p99 in the server (ms)";
        if (windows.Any(w => w.RssMiB > 0))
        {
            var rss = plot.Add.Scatter(xs, windows.Select(w => w.RssMiB).ToArray());
            rss.LegendText = "server resident memory (MiB, right axis)";
            rss.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "resident memory (MiB)";
        }
        plot.Title($"sustained mixed load{(activatedAt is null ? "" : $" ({activatedAt})")}");
        plot.XLabel("seconds");
        plot.YLabel("p99 (ms)");
        plot.ShowLegend(Alignment.UpperLeft);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 1100, 600);
    }

    /// <summary>VmRSS of the process in MiB, or 0 when not given or not readable.</summary>
    private static double Rss(int? pid)
    {
        if (pid is not { } id)
        {
            return 0;
        }
        try
        {
            var line = File.ReadLines($"/proc/{id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private sealed class Window(double rssAtStart)
    {
        public const string Header = "| window end | requests | failed | route p99 client | route p99 server | feedback p99 client | feedback p99 server | server RSS |";

        public LatencySamples RouteClient { get; } = new();
        public LatencySamples RouteServer { get; } = new();
        public LatencySamples FeedbackClient { get; } = new();
        public LatencySamples FeedbackServer { get; } = new();
        public int Requests { get; private set; }
        public int Failed { get; private set; }
        public TimeSpan End { get; private set; }
        public double RssMiB { get; private set; } = rssAtStart;

        public void Add(bool feedback, GraphQLCall call)
        {
            Requests++;
            if (!call.Ok)
            {
                Failed++;
                return;
            }
            (feedback ? FeedbackClient : RouteClient).Add(call.ClientMs);
            if (call.ServerMs is { } ms)
            {
                (feedback ? FeedbackServer : RouteServer).Add(ms);
            }
        }

        public void Close(TimeSpan end, double rss)
        {
            End = end;
            RssMiB = rss;
        }

        public string Row() => string.Create(CultureInfo.InvariantCulture,
            $"| {End.TotalSeconds:0} s | {Requests:N0} | {Failed} | {P99(RouteClient)} | {P99(RouteServer)} | {P99(FeedbackClient)} | {P99(FeedbackServer)} | {(RssMiB > 0 ? $"{RssMiB:0} MiB" : "n/a")} |");

        private static string P99(LatencySamples samples) =>
            samples.Count == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{samples.Percentile(99):0.00} ms");
    }
}
