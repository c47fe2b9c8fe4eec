using System.Collections.Concurrent;

namespace GraphRouter.Api.Tests.EndToEnd;

/// <summary>Policy activation, rollback and refusal through the API, and swaps under concurrent routing.</summary>
public sealed class PolicyEndToEndTests : IClassFixture<EngineHost>
{
    private const string Route = "query($input: RouteInput!) { route(input: $input) { model policyVersion } }";
    private const string Activate = "mutation($v: String!) { activatePolicy(version: $v) { version active } }";

    private readonly EngineHost _host;

    public PolicyEndToEndTests(EngineHost host) => _host = host;

    [Fact]
    public async Task Swapping_policies_under_concurrent_routes_fails_none_and_rollback_restores_the_previous()
    {
        var bundled = Serving.Runtime.BundledPolicy.Version;
        var copy = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        await _host.RegisterCopyOfBundledPolicyAsync(copy);
        var failures = new ConcurrentBag<string>();
        var versions = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var routes = 0;
        var clients = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                var call = await _host.CallAsync(Route, new { input = new { userId = $"swap-{c}-{i % 7}", query = _host.Data.Queries[(c * 97 + i++) % _host.Data.Queries.Count].Text } });
                Interlocked.Increment(ref routes);
                if (call.Status != System.Net.HttpStatusCode.OK || call.Body.TryGetProperty("errors", out _))
                {
                    failures.Add(call.Body.ToString());
                    continue;
                }
                versions.AddOrUpdate(call.Body.GetProperty("data").GetProperty("route").GetProperty("policyVersion").GetString()!, 1, (_, n) => n + 1);
            }
        })).ToArray();

        for (var swap = 0; swap < 6; swap++)
        {
            var target = swap % 2 == 0 ? copy : bundled;
            var activated = (await _host.DataAsync(Activate, new { v = target })).GetProperty("activatePolicy");
            Assert.Equal(target, activated.GetProperty("version").GetString());
            Assert.True(activated.GetProperty("active").GetBoolean());
            await Task.Delay(100);
        }
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Empty(failures);
        Assert.True(routes > 20, $"only {routes} routes ran during the swaps");
        Assert.Contains(copy, versions.Keys);
        Assert.Equal(bundled, (await _host.DataAsync("{ policy { version } }")).GetProperty("policy").GetProperty("version").GetString());

        // The log now ends ... copy, bundled: a rollback goes back to the copy.
        var rolledBack = (await _host.DataAsync("mutation { rollbackPolicy { version active } }")).GetProperty("rollbackPolicy");
        Assert.Equal(copy, rolledBack.GetProperty("version").GetString());
        Assert.Equal(copy, (await _host.DataAsync(Route, new { input = new { userId = "after", query = "hello" } })).GetProperty("route").GetProperty("policyVersion").GetString());
        var listed = (await _host.DataAsync("{ policies { version active metrics { name value } } }")).GetProperty("policies").EnumerateArray().ToList();
        Assert.Equal(copy, Assert.Single(listed, p => p.GetProperty("active").GetBoolean()).GetProperty("version").GetString());
        Assert.Contains(listed, p => p.GetProperty("version").GetString() == bundled && p.GetProperty("metrics").GetArrayLength() > 0);
        await _host.DataAsync(Activate, new { v = bundled });
    }

    [Fact]
    public async Task A_corrupt_policy_is_refused_and_the_active_one_keeps_serving()
    {
        var version = "corrupt-" + Guid.NewGuid().ToString("N")[..8];
        var folder = await _host.RegisterCopyOfBundledPolicyAsync(version);
        var scorer = Path.Combine(folder, "scorer.onnx");
        var bytes = await File.ReadAllBytesAsync(scorer);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(scorer, bytes);
        var active = (await _host.DataAsync("{ policy { version } }")).GetProperty("policy").GetProperty("version").GetString();

        var call = await _host.CallAsync(Activate, new { v = version });
        var unknown = await _host.CallAsync(Activate, new { v = "no-such-version" });

        Assert.Equal("POLICY_INVALID", call.ErrorCode);
        Assert.Contains("scorer.onnx", call.ErrorMessage);
        Assert.Equal("NOT_FOUND", unknown.ErrorCode);
        Assert.Equal(active, (await _host.DataAsync("{ policy { version } }")).GetProperty("policy").GetProperty("version").GetString());
        var decision = (await _host.DataAsync(Route, new { input = new { userId = "still", query = "still serving?" } })).GetProperty("route");
        Assert.Equal(active, decision.GetProperty("policyVersion").GetString());
    }

    [Fact]
    public async Task Start_training_queues_a_run_that_training_runs_lists()
    {
        var run = (await _host.DataAsync("mutation { startTraining(input: { warmStart: true }) { id status progress } }")).GetProperty("startTraining");
        var runs = (await _host.DataAsync("{ trainingRuns(last: 5) { id status } }")).GetProperty("trainingRuns").EnumerateArray().ToList();

        Assert.Equal("QUEUED", run.GetProperty("status").GetString());
        Assert.Equal(0, run.GetProperty("progress").GetDouble());
        Assert.Equal(run.GetProperty("id").GetString(), runs[0].GetProperty("id").GetString());
        var bad = await _host.CallAsync("{ trainingRuns(last: 0) { id } }");
        Assert.Equal("BAD_USER_INPUT", bad.ErrorCode);
    }
}
