using System.Diagnostics;
using System.Text.Json;
using GraphRouter.Routing.Policies;
using GraphRouter.Serving.Runtime;
using GraphRouter.Storage.TrainingRuns;
using GraphRouter.Training.Export;
using GraphRouter.Training.Retraining;
using Xunit.Abstractions;

namespace GraphRouter.Training.Tests.Retraining;

/// <summary>
/// <c>graphrouter-train retrain</c> end to end on a real SQLite store holding the bundled routerbench and the bundled
/// policy (active): the real executable as a child process, real TorchSharp training, real ONNX Runtime in the gate.
/// </summary>
public sealed class RetrainTests(RetrainStoreFixture fixture, ITestOutputHelper output) : IClassFixture<RetrainStoreFixture>
{
    [Fact]
    public async Task A_quick_warm_started_retrain_passes_the_gate_and_its_policy_is_registered_and_active()
    {
        var (path, policies) = fixture.NewStore();
        var clock = Stopwatch.StartNew();
        var (code, log) = await GraphrouterTrain.RunAsync("retrain", "--store", "sqlite:" + path, "--config", "retrain-quick", "--policies", policies);
        output.WriteLine($"retrain-quick: exit {code} in {clock.Elapsed.TotalSeconds:F1} s (store prepared in {fixture.PrepareTime.TotalSeconds:F1} s)\n{log}");
        Assert.True(code == 0, log);

        await using var store = await RetrainStoreFixture.OpenAsync(path);
        var run = Assert.Single(await store.GetTrainingRunsAsync(10));
        Assert.Equal(TrainingRunStatus.Succeeded, run.Status);
        Assert.Equal(1.0, run.Progress);
        Assert.Null(run.Error);
        Assert.NotNull(run.WorkerId);
        Assert.Equal("retrain-quick", JsonDocument.Parse(run.ConfigJson).RootElement.GetProperty("config").GetString());
        var metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(run.MetricsJson!)!;
        var (candidate, active, margin) = (metrics["candidateGateAccuracy"], metrics["activeGateAccuracy"], metrics["gateMargin"]);
        Assert.True(candidate >= active - margin, $"candidate {candidate} active {active}");
        // 24 steps from scratch land near 0.6; starting from the active weights keeps the candidate beside them
        Assert.InRange(candidate - active, -0.02, 0.02);
        Assert.Contains("epoch 0/2: the starting weights", log, StringComparison.Ordinal);
        Assert.Contains("native heap: GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0", log, StringComparison.Ordinal);
        Assert.InRange(active, 0.65, 0.85);
        Assert.Equal(1, metrics["warmStart"]);
        Assert.True(metrics["gatePairs"] > 500, run.MetricsJson);

        var version = run.PolicyVersion!;
        Assert.NotEqual(BundledPolicy.Version, version);
        Assert.Equal(version, (await store.GetActivePolicyAsync())!.Version);
        var folder = Path.Combine(policies, version);
        Assert.Equal(Path.GetFullPath(folder), (await store.GetActivePolicyAsync())!.Path);
        var manifest = PolicyLoader.Verify(folder);
        Assert.Contains(manifest.Files, f => f.Path == PolicyExporter.WeightsFile);
        Assert.StartsWith("sqlite:" + path, manifest.DataSnapshot, StringComparison.Ordinal);
        Assert.True(manifest.Config.GetProperty("retrain").GetProperty("warmStart").GetBoolean());
        Assert.Equal(2, manifest.Config.GetProperty("epochs").GetInt32());
        using var runtime = PolicyRuntime.Load(folder);
        Assert.Equal(version, runtime.Version);
    }

    [Fact]
    public async Task The_worker_serves_a_queued_run_and_a_shuffled_ratings_candidate_is_rejected_naming_both_accuracies()
    {
        var (path, policies) = fixture.NewStore();
        string runId;
        await using (var store = await RetrainStoreFixture.OpenAsync(path))
        {
            // as the API's startTraining queues it
            runId = (await store.QueueTrainingRunAsync("""{"config":"retrain-shuffled","warmStart":null}""")).Id;
        }
        var clock = Stopwatch.StartNew();
        var (code, log) = await GraphrouterTrain.RunAsync("retrain", "--worker", "--once", "--store", "sqlite:" + path, "--policies", policies);
        output.WriteLine($"worker --once, retrain-shuffled: exit {code} in {clock.Elapsed.TotalSeconds:F1} s\n{log}");
        Assert.True(code == 4, log);

        await using var reopened = await RetrainStoreFixture.OpenAsync(path);
        var run = (await reopened.GetTrainingRunAsync(runId))!;
        Assert.Equal(TrainingRunStatus.Rejected, run.Status);
        var metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(run.MetricsJson!)!;
        var (candidate, active) = (metrics["candidateGateAccuracy"], metrics["activeGateAccuracy"]);
        Assert.True(candidate < active - metrics["gateMargin"], run.MetricsJson);
        Assert.Contains($"{candidate:F4}", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{active:F4}", run.Error, StringComparison.Ordinal);
        Assert.Contains(BundledPolicy.Version, run.Error, StringComparison.Ordinal);
        Assert.Equal(0, metrics["warmStart"]);

        Assert.Equal(BundledPolicy.Version, (await reopened.GetActivePolicyAsync())!.Version);
        var rejected = Assert.Single(await reopened.GetPoliciesAsync(), p => p.Version == run.PolicyVersion);
        Assert.False(rejected.Active);
        PolicyLoader.Verify(Path.Combine(policies, run.PolicyVersion!));
    }

    [Fact]
    public async Task A_worker_killed_mid_run_leaves_the_run_failed_after_the_next_worker_starts_and_the_active_policy_untouched()
    {
        var (path, policies) = fixture.NewStore();
        string runId;
        await using (var store = await RetrainStoreFixture.OpenAsync(path))
        {
            runId = (await store.QueueTrainingRunAsync("""{"config":"default"}""")).Id;
        }
        var (worker, workerOutput) = GraphrouterTrain.Start("retrain", "--worker", "--store", "sqlite:" + path, "--policies", policies, "--heartbeat-timeout", "2s");
        using (worker)
        {
            try
            {
                // wait (not a timing assertion: the limit only keeps a broken build from hanging) until it trains
                var limit = Stopwatch.StartNew();
                TrainingRunRecord? seen = null;
                while (limit.Elapsed < TimeSpan.FromMinutes(4) && !worker.HasExited)
                {
                    await using var store = await RetrainStoreFixture.OpenAsync(path);
                    seen = await store.GetTrainingRunAsync(runId);
                    if (seen is { Status: TrainingRunStatus.Running, Message: { } message } && message.StartsWith("epoch 1/", StringComparison.Ordinal))
                    {
                        break;
                    }
                    await Task.Delay(250);
                }
                Assert.True(seen is { Status: TrainingRunStatus.Running }, $"the worker never reached training: {seen?.Status} {seen?.Message}\n{workerOutput}");
                Assert.StartsWith("epoch 1/", seen!.Message, StringComparison.Ordinal);
                // The worker re-executed itself (same pid) with the allocator settings that keep its memory flat.
                // (glibc's loader cuts the variable at its first ':' in place while it parses it, so /proc shows the first tunable only.)
                var environment = File.ReadAllText($"/proc/{worker.Id}/environ").Split('\0');
                Assert.Contains(environment, v => v.StartsWith("GLIBC_TUNABLES=glibc.malloc.tcache_count=0", StringComparison.Ordinal));
            }
            finally
            {
                worker.Kill(); // SIGKILL on Linux: no handler runs
                await worker.WaitForExitAsync();
            }
        }
        lock (workerOutput)
        {
            output.WriteLine($"killed worker's output:\n{workerOutput}");
        }

        await using (var store = await RetrainStoreFixture.OpenAsync(path))
        {
            Assert.Equal(TrainingRunStatus.Running, (await store.GetTrainingRunAsync(runId))!.Status);
        }
        await Task.Delay(TimeSpan.FromSeconds(3)); // past the 2 s heartbeat timeout
        var (code, log) = await GraphrouterTrain.RunAsync("retrain", "--worker", "--once", "--store", "sqlite:" + path, "--policies", policies, "--heartbeat-timeout", "2s");
        output.WriteLine($"next worker: exit {code}\n{log}");
        Assert.True(code == 0, log);
        Assert.Contains($"failed abandoned training run {runId}", log, StringComparison.Ordinal);

        await using var after = await RetrainStoreFixture.OpenAsync(path);
        var run = (await after.GetTrainingRunAsync(runId))!;
        Assert.Equal(TrainingRunStatus.Failed, run.Status);
        Assert.Contains("no heartbeat", run.Error, StringComparison.Ordinal);
        Assert.NotNull(run.Finished);
        Assert.Equal(BundledPolicy.Version, (await after.GetActivePolicyAsync())!.Version);
        Assert.Equal([BundledPolicy.Version], (await after.GetPoliciesAsync()).Select(p => p.Version));
        Assert.Empty(Directory.EnumerateDirectories(policies));
    }

    [Fact]
    public async Task A_run_that_cannot_start_ends_failed_with_the_reason_never_left_running()
    {
        var (path, policies) = fixture.NewStore();
        await using var store = await RetrainStoreFixture.OpenAsync(path);
        var unknown = await store.QueueTrainingRunAsync("""{"config":"no-such-config"}""");
        var mistyped = await store.QueueTrainingRunAsync("""{"config":"retrain-quick","warmStart":"yes"}""");
        var job = new RetrainJob(store, policies, "default", TextWriter.Null);
        var options = new RetrainWorkerOptions { Once = true, HeartbeatTimeout = TimeSpan.FromSeconds(60) };
        var first = await RetrainWorker.RunAsync(store, job, options, TextWriter.Null, CancellationToken.None);
        var second = await RetrainWorker.RunAsync(store, job, options, TextWriter.Null, CancellationToken.None);

        Assert.Equal(unknown.Id, first!.Id);
        Assert.Equal(TrainingRunStatus.Failed, first.Status);
        Assert.Contains("no-such-config", first.Error, StringComparison.Ordinal);
        Assert.Equal(mistyped.Id, second!.Id);
        Assert.Equal(TrainingRunStatus.Failed, second.Status);
        Assert.Contains("warmStart is not a boolean", second.Error, StringComparison.Ordinal);
        Assert.Null(await RetrainWorker.RunAsync(store, job, options, TextWriter.Null, CancellationToken.None));
        Assert.Equal(BundledPolicy.Version, (await store.GetActivePolicyAsync())!.Version);
        Assert.Empty(Directory.EnumerateDirectories(policies));
    }

    [Theory]
    [InlineData(3, "--config no-such-config")]
    [InlineData(2, "--once")]
    [InlineData(2, "--worker --warm-start")]
    [InlineData(2, "--heartbeat-timeout soon")]
    public async Task Bad_arguments_exit_with_usage_or_bad_input_and_write_nothing(int expected, string arguments)
    {
        var (path, policies) = fixture.NewStore();
        var (code, log) = await GraphrouterTrain.RunAsync(["retrain", "--store", "sqlite:" + path, "--policies", policies, .. arguments.Split(' ')]);
        Assert.True(code == expected, $"exit {code}: {log}");
        await using var store = await RetrainStoreFixture.OpenAsync(path);
        Assert.Empty(await store.GetTrainingRunsAsync(10));
        Assert.Empty(Directory.EnumerateDirectories(policies));
    }

    [Fact]
    public async Task A_postgres_store_without_a_policies_folder_is_refused_before_anything_is_opened()
    {
        // Nothing listens on port 1: the refusal must come from the missing folder, before any connection is tried.
        var (code, log) = await GraphrouterTrain.RunAsync("retrain", "--store", "postgres:Host=127.0.0.1;Port=1;Username=x;Database=x", "--config", "retrain-quick");
        Assert.True(code == 3, $"exit {code}: {log}");
        Assert.Contains("--policies", log, StringComparison.Ordinal);
        Assert.Contains("nothing was written", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sqlite_store_writes_new_versions_beside_its_file_by_default()
    {
        var (path, _) = fixture.NewStore();
        var (code, log) = await GraphrouterTrain.RunAsync("retrain", "--store", "sqlite:" + path, "--config", "retrain-shuffled");
        Assert.True(code is 0 or 4, $"exit {code}: {log}");
        var beside = Path.Combine(Path.GetDirectoryName(path)!, "policies");
        var written = Assert.Single(Directory.EnumerateDirectories(beside));
        await using var store = await RetrainStoreFixture.OpenAsync(path);
        var registered = (await store.GetPoliciesAsync()).Single(p => p.Version == Path.GetFileName(written));
        Assert.Equal(Path.GetFullPath(written), registered.Path);
    }
}
