using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GraphRouter.Storage.Policies;
using GraphRouter.Storage.Tests.Postgres;
using GraphRouter.Storage.TrainingRuns;

namespace GraphRouter.Storage.Tests.Contract;

/// <summary>A training run's life on every backend: claimed by one worker, advanced, ended, or failed when its worker goes silent.</summary>
public abstract class TrainingRunLifecycleContract
{
    private static readonly DateTimeOffset T0 = new(2027, 6, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly StoreFixture _fixture;

    protected TrainingRunLifecycleContract(StoreFixture fixture) => _fixture = fixture;

    private async Task<(IGraphStore Store, TestClock Clock)> ClockedStoreAsync()
    {
        var clock = new TestClock(T0);
        return (await _fixture.CreateEmptyStoreAsync(options: new GraphStoreOptions { Time = clock }), clock);
    }

    /// <summary>Queues one run and claims it for <paramref name="worker"/>.</summary>
    private static async Task<TrainingRunRecord> RunningAsync(IGraphStore store, string worker, string config = """{"epochs": 8}""")
    {
        var queued = await store.QueueTrainingRunAsync(config);
        var claimed = await store.ClaimTrainingRunAsync(worker);
        Assert.Equal(queued.Id, claimed!.Id);
        return claimed;
    }

    [StoreFact]
    public async Task Claims_take_the_oldest_queued_run_first_and_nothing_when_none_is_queued()
    {
        var (store, clock) = await ClockedStoreAsync();
        Assert.Null(await store.ClaimTrainingRunAsync("w1"));
        var first = await store.QueueTrainingRunAsync("""{"epochs": 1}""");
        var second = await store.QueueTrainingRunAsync("""{"epochs": 2}""");
        clock.Advance(TimeSpan.FromMinutes(5));

        var a = await store.ClaimTrainingRunAsync("w1");
        clock.Advance(TimeSpan.FromMinutes(1));
        var b = await store.ClaimTrainingRunAsync("w2");
        var none = await store.ClaimTrainingRunAsync("w3");

        Assert.Equal(first with { Status = TrainingRunStatus.Running, Started = T0.AddMinutes(5), Heartbeat = T0.AddMinutes(5), WorkerId = "w1" }, a);
        Assert.Equal(second with { Status = TrainingRunStatus.Running, Started = T0.AddMinutes(6), Heartbeat = T0.AddMinutes(6), WorkerId = "w2" }, b);
        Assert.Null(none);
        Assert.Equal(a, await store.GetTrainingRunAsync(first.Id));
        Assert.Equal([b!, a!], await store.GetTrainingRunsAsync(10));
        Assert.Null(await store.GetTrainingRunAsync("no-such-run"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ClaimTrainingRunAsync(" "));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ClaimTrainingRunAsync("w\0"));
    }

    [StoreFact]
    public async Task Concurrent_claimers_on_two_handles_never_take_the_same_run()
    {
        var store = await _fixture.CreateEmptyStoreAsync();
        var second = await _fixture.OpenAgainAsync(store);
        const int runs = 24;
        var queued = new List<string>();
        for (var k = 0; k < runs; k++)
        {
            queued.Add((await store.QueueTrainingRunAsync($$"""{"run": {{k}}}""")).Id);
        }
        var claims = new ConcurrentBag<(string Worker, TrainingRunRecord Run)>();
        using var start = new ManualResetEventSlim();

        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var handle = w % 2 == 0 ? store : second;
            var worker = $"worker-{w}";
            start.Wait();
            while (await handle.ClaimTrainingRunAsync(worker) is { } run)
            {
                claims.Add((worker, run));
            }
        })).ToList();
        start.Set();
        await Task.WhenAll(workers);

        Assert.Equal(runs, claims.Count);
        Assert.Equal(queued.Order(StringComparer.Ordinal), claims.Select(c => c.Run.Id).Order(StringComparer.Ordinal));
        Assert.All(claims, c => Assert.Equal((TrainingRunStatus.Running, c.Worker), (c.Run.Status, c.Run.WorkerId)));
        var stored = await second.GetTrainingRunsAsync(runs);
        Assert.All(stored, r => Assert.Equal(claims.Single(c => c.Run.Id == r.Id).Worker, r.WorkerId));
        Assert.Null(await store.ClaimTrainingRunAsync("late"));
    }

    [StoreFact]
    public async Task Progress_reports_refresh_the_heartbeat_and_keep_metrics_unless_given()
    {
        var (store, clock) = await ClockedStoreAsync();
        var run = await RunningAsync(store, "w1");

        clock.Advance(TimeSpan.FromSeconds(30));
        var third = await store.ReportTrainingRunProgressAsync(run.Id, "w1", 0.375, "epoch 3/8", """{"validationAccuracy": 0.61}""");
        clock.Advance(TimeSpan.FromSeconds(30));
        var fourth = await store.ReportTrainingRunProgressAsync(run.Id, "w1", 0.5, "epoch 4/8", null);

        Assert.Equal((0.375, "epoch 3/8", T0.AddSeconds(30), TrainingRunStatus.Running), (third.Progress, third.Message, third.Heartbeat, third.Status));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"validationAccuracy": 0.61}"""), JsonNode.Parse(third.MetricsJson!)));
        Assert.Equal(third with { Progress = 0.5, Message = "epoch 4/8", Heartbeat = T0.AddMinutes(1) }, fourth);
        Assert.Equal(T0, fourth.Started);
        Assert.Equal(fourth, await store.GetTrainingRunAsync(run.Id));
    }

    [StoreFact]
    public async Task Bad_reports_are_refused_and_change_nothing()
    {
        var (store, clock) = await ClockedStoreAsync();
        var run = await RunningAsync(store, "w1");
        var waiting = await store.QueueTrainingRunAsync("{}");
        clock.Advance(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ReportTrainingRunProgressAsync(run.Id, "w1", 1.01, "too far", null));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ReportTrainingRunProgressAsync(run.Id, "w1", -0.1, null, null));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ReportTrainingRunProgressAsync(run.Id, "w1", double.NaN, null, null));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ReportTrainingRunProgressAsync(run.Id, "w1", 0.5, null, "{not json"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ReportTrainingRunProgressAsync(run.Id, "w1", 0.5, null, "[0.5]"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ReportTrainingRunProgressAsync(run.Id, "w1", 0.5, "bad\0message", null));
        var missing = await Assert.ThrowsAsync<StoreNotFoundException>(() => store.ReportTrainingRunProgressAsync("no-such-run", "w1", 0.5, null, null));
        var stranger = await Assert.ThrowsAsync<StoreConflictException>(() => store.ReportTrainingRunProgressAsync(run.Id, "w2", 0.5, null, null));
        var notRunning = await Assert.ThrowsAsync<StoreConflictException>(() => store.ReportTrainingRunProgressAsync(waiting.Id, "w1", 0.5, null, null));

        Assert.Equal((StoreNotFoundException.TrainingRun, "training run 'no-such-run' does not exist"), (missing.Kind, missing.Message));
        Assert.Equal($"training run '{run.Id}' is owned by worker 'w1', not 'w2'; nothing was stored", stranger.Message);
        Assert.Equal($"training run '{waiting.Id}' is QUEUED, not RUNNING; nothing was stored", notRunning.Message);
        Assert.Equal(run, await store.GetTrainingRunAsync(run.Id));
        Assert.Equal(waiting, await store.GetTrainingRunAsync(waiting.Id));
    }

    [StoreFact]
    public async Task Finishing_records_the_outcome_once_and_only_for_the_owner()
    {
        var (store, clock) = await ClockedStoreAsync();
        await store.RegisterPolicyAsync(new PolicyRegistration
        {
            Version = "v7", Created = T0, Path = "/policies/v7", ManifestJson = """{"version": "v7"}""",
        });
        var succeeded = await RunningAsync(store, "w1");
        await store.ReportTrainingRunProgressAsync(succeeded.Id, "w1", 0.9, "exporting", """{"loss": 0.4}""");
        clock.Advance(TimeSpan.FromMinutes(20));

        var stranger = await Assert.ThrowsAsync<StoreConflictException>(() =>
            store.FinishTrainingRunAsync(succeeded.Id, "w2", new TrainingRunOutcome { Status = TrainingRunStatus.Succeeded }));
        var unknownPolicy = await Assert.ThrowsAsync<StoreNotFoundException>(() =>
            store.FinishTrainingRunAsync(succeeded.Id, "w1", new TrainingRunOutcome { Status = TrainingRunStatus.Succeeded, PolicyVersion = "v8" }));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.FinishTrainingRunAsync(succeeded.Id, "w1", new TrainingRunOutcome { Status = TrainingRunStatus.Running }));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.FinishTrainingRunAsync(succeeded.Id, "w1", new TrainingRunOutcome { Status = TrainingRunStatus.Succeeded, MetricsJson = "0.7" }));
        var unchanged = await store.GetTrainingRunAsync(succeeded.Id);
        var done = await store.FinishTrainingRunAsync(succeeded.Id, "w1",
            new TrainingRunOutcome { Status = TrainingRunStatus.Succeeded, PolicyVersion = "v7", MetricsJson = """{"accuracy": 0.72}""" });
        var again = await Assert.ThrowsAsync<StoreConflictException>(() =>
            store.FinishTrainingRunAsync(succeeded.Id, "w1", new TrainingRunOutcome { Status = TrainingRunStatus.Failed, Error = "late" }));

        var rejected = await RunningAsync(store, "w1");
        var rejectedDone = await store.FinishTrainingRunAsync(rejected.Id, "w1",
            new TrainingRunOutcome { Status = TrainingRunStatus.Rejected, Error = "accuracy 0.69 is below the active policy's 0.71" });
        var failed = await RunningAsync(store, "w1");
        await store.ReportTrainingRunProgressAsync(failed.Id, "w1", 0.25, "epoch 2/8", """{"loss": 0.9}""");
        var failedDone = await store.FinishTrainingRunAsync(failed.Id, "w1", new TrainingRunOutcome { Status = TrainingRunStatus.Failed, Error = "out of memory" });

        Assert.Equal($"training run '{succeeded.Id}' is owned by worker 'w1', not 'w2'; nothing was stored", stranger.Message);
        Assert.Equal("policy version 'v8' is not registered", unknownPolicy.Message);
        Assert.Equal((TrainingRunStatus.Running, 0.9, (DateTimeOffset?)null), (unchanged!.Status, unchanged.Progress, unchanged.Finished));
        Assert.Equal((TrainingRunStatus.Succeeded, 1.0, "v7", T0.AddMinutes(20), (string?)null, "exporting"),
            (done.Status, done.Progress, done.PolicyVersion, done.Finished, done.Error, done.Message));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"accuracy": 0.72}"""), JsonNode.Parse(done.MetricsJson!)));
        Assert.Equal($"training run '{succeeded.Id}' is SUCCEEDED, not RUNNING; nothing was stored", again.Message);
        Assert.Equal(done, await store.GetTrainingRunAsync(succeeded.Id));
        Assert.Equal((TrainingRunStatus.Rejected, 1.0, "accuracy 0.69 is below the active policy's 0.71", (string?)null),
            (rejectedDone.Status, rejectedDone.Progress, rejectedDone.Error, rejectedDone.PolicyVersion));
        Assert.Equal((TrainingRunStatus.Failed, 0.25, "out of memory"), (failedDone.Status, failedDone.Progress, failedDone.Error));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"loss": 0.9}"""), JsonNode.Parse(failedDone.MetricsJson!)));
    }

    [StoreFact]
    public async Task Runs_whose_worker_went_silent_fail_and_their_worker_can_no_longer_report()
    {
        var (store, clock) = await ClockedStoreAsync();
        var silent = await RunningAsync(store, "w-silent");
        var alive = await RunningAsync(store, "w-alive");
        var waiting = await store.QueueTrainingRunAsync("{}");

        clock.Advance(TimeSpan.FromMinutes(4));
        await store.ReportTrainingRunProgressAsync(alive.Id, "w-alive", 0.5, "epoch 4/8", null);
        clock.Advance(TimeSpan.FromMinutes(2));
        var notYet = await store.FailStaleTrainingRunsAsync(TimeSpan.FromMinutes(6));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var stale = await store.FailStaleTrainingRunsAsync(TimeSpan.FromMinutes(6));
        var sweptAgain = await store.FailStaleTrainingRunsAsync(TimeSpan.FromMinutes(6));
        var late = await Assert.ThrowsAsync<StoreConflictException>(() => store.ReportTrainingRunProgressAsync(silent.Id, "w-silent", 0.2, null, null));

        Assert.Empty(notYet);
        var failed = Assert.Single(stale);
        Assert.Equal(silent with
        {
            Status = TrainingRunStatus.Failed,
            Finished = T0.AddMinutes(6).AddMilliseconds(1),
            Error = "worker w-silent stopped: no heartbeat since 2027-06-01T09:00:00.000Z",
        }, failed);
        Assert.Empty(sweptAgain);
        Assert.Equal($"training run '{silent.Id}' is FAILED, not RUNNING; nothing was stored", late.Message);
        Assert.Equal(TrainingRunStatus.Running, (await store.GetTrainingRunAsync(alive.Id))!.Status);
        Assert.Equal(waiting, await store.GetTrainingRunAsync(waiting.Id));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.FailStaleTrainingRunsAsync(TimeSpan.Zero));
    }

    [StoreFact]
    public async Task Tallies_count_runs_per_status_and_sum_the_durations_of_finished_runs()
    {
        var (store, clock) = await ClockedStoreAsync();
        Assert.Empty(await store.GetTrainingRunTalliesAsync());

        var fast = await RunningAsync(store, "w1");
        clock.Advance(TimeSpan.FromSeconds(90));
        await store.FinishTrainingRunAsync(fast.Id, "w1", new TrainingRunOutcome { Status = TrainingRunStatus.Rejected, Error = "worse" });
        var slow = await RunningAsync(store, "w1");
        clock.Advance(TimeSpan.FromMinutes(7).Add(TimeSpan.FromMilliseconds(250)));
        await store.FinishTrainingRunAsync(slow.Id, "w1", new TrainingRunOutcome { Status = TrainingRunStatus.Rejected, Error = "worse" });
        var crashed = await RunningAsync(store, "w2");
        clock.Advance(TimeSpan.FromSeconds(12));
        await store.FinishTrainingRunAsync(crashed.Id, "w2", new TrainingRunOutcome { Status = TrainingRunStatus.Failed, Error = "out of memory" });
        await RunningAsync(store, "w3");
        await store.QueueTrainingRunAsync("{}");
        await store.QueueTrainingRunAsync("{}");
        clock.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(
            [
                new TrainingRunTally(TrainingRunStatus.Failed, 1, 12),
                new TrainingRunTally(TrainingRunStatus.Queued, 2, 0),
                new TrainingRunTally(TrainingRunStatus.Rejected, 2, 90 + 420.25),
                new TrainingRunTally(TrainingRunStatus.Running, 1, 0),
            ],
            await store.GetTrainingRunTalliesAsync());
    }
}
