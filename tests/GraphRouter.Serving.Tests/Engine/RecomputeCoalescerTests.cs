using GraphRouter.Core.Datasets;
using GraphRouter.Serving.Engine;
using GraphRouter.Storage;
using GraphRouter.Storage.Tenancy;
using GraphRouter.TestSupport;

namespace GraphRouter.Serving.Tests.Engine;

/// <summary>
/// The per-user coalescing of background re-embeddings: the coalescer on its own (with work the test holds and
/// releases, so every interleaving asserted is forced, not hoped for), then a real engine on a real SQLite store
/// taking a burst of concurrent feedback for one user.
/// </summary>
public sealed class RecomputeCoalescerTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(1);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "graphrouter-coalesce-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Requests_while_a_run_is_in_progress_cost_exactly_one_more_run_and_other_keys_run_independently()
    {
        var started = new List<string>();
        var gates = new Dictionary<int, TaskCompletionSource>();
        var runStarted = new SemaphoreSlim(0);
        var coalescer = new RecomputeCoalescer<string>(async key =>
        {
            TaskCompletionSource gate;
            lock (started)
            {
                started.Add(key);
                gate = gates[started.Count] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            runStarted.Release();
            await gate.Task;
        });

        coalescer.Request("alice");
        Assert.True(await runStarted.WaitAsync(Generous), "the first run never started");
        // alice's run is in progress: five more requests mark it dirty once
        for (var i = 0; i < 5; i++)
        {
            coalescer.Request("alice");
        }
        coalescer.Request("bob");
        Assert.True(await runStarted.WaitAsync(Generous), "bob's run never started");
        lock (started)
        {
            Assert.Equal(["alice", "bob"], started);
        }
        Assert.Equal(2, coalescer.Pending);

        gates[1].SetResult(); // alice's first run ends: exactly one more follows
        Assert.True(await runStarted.WaitAsync(Generous), "alice's second run never started");
        lock (started)
        {
            Assert.Equal(["alice", "bob", "alice"], started);
        }
        gates[2].SetResult();
        gates[3].SetResult();
        await WaitUntilAsync(() => coalescer.Pending == 0);
        Assert.False(await runStarted.WaitAsync(TimeSpan.FromMilliseconds(200)), "a run started that no request asked for");
        Assert.Equal(7, coalescer.Requests);
        Assert.Equal(3, coalescer.Runs);

        // idle again: the next request starts a fresh run
        coalescer.Request("alice");
        Assert.True(await runStarted.WaitAsync(Generous), "a request after the key went idle did not run");
        gates[4].SetResult();
        await WaitUntilAsync(() => coalescer.Pending == 0);
        Assert.Equal(4, coalescer.Runs);
    }

    [Fact]
    public async Task Requests_that_arrive_during_the_delay_are_absorbed_by_the_one_scheduled_run()
    {
        var runs = 0;
        var coalescer = new RecomputeCoalescer<string>(_ =>
        {
            Interlocked.Increment(ref runs);
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(1));
        for (var i = 0; i < 10; i++)
        {
            coalescer.Request("alice");
        }
        Assert.Equal(0, Volatile.Read(ref runs));
        await WaitUntilAsync(() => coalescer.Pending == 0);
        Assert.Equal(1, Volatile.Read(ref runs));
        Assert.Equal(10, coalescer.Requests);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecomputeCoalescer<string>(_ => Task.CompletedTask, TimeSpan.FromMilliseconds(-1)));
    }

    [Fact]
    public async Task A_failing_run_does_not_stop_the_keys_later_runs()
    {
        var runs = 0;
        var coalescer = new RecomputeCoalescer<string>(_ =>
        {
            Interlocked.Increment(ref runs);
            throw new InvalidOperationException("store unavailable");
        });
        coalescer.Request("alice");
        await WaitUntilAsync(() => coalescer.Pending == 0);
        coalescer.Request("alice");
        await WaitUntilAsync(() => coalescer.Pending == 0 && Volatile.Read(ref runs) == 2);
        Assert.Equal(2, coalescer.Runs);
    }

    [Fact]
    public async Task A_burst_of_concurrent_feedback_for_one_user_runs_fewer_re_embeddings_and_the_next_route_sees_all_of_it()
    {
        Directory.CreateDirectory(_folder);
        await using var store = await GraphStoreFactory.OpenAsync(StoreLocation.Parse("sqlite:" + Path.Combine(_folder, "graphrouter.db")));
        await ServiceBootstrap.PrepareAsync(store, BundledData.RouterBench, Path.Combine(BundledData.Root(), "policies"), TextWriter.Null);
        using var engine = new RouterEngine(store, new EngineOptions());
        await engine.StartAsync();
        var models = (await engine.GetModelsAsync()).Select(m => m.Name).ToArray();

        const int burst = 40;
        await Task.WhenAll(Enumerable.Range(0, burst).Select(i => engine.SubmitFeedbackAsync(Tenants.Default, new FeedbackCommand
        {
            IdempotencyKey = $"burst-{i}",
            UserId = "burst-user",
            ConversationId = $"c{i}",
            Step = 0,
            Query = $"Burst question {i}: how do I sort a list of tuples by the second element?",
            Responses = [new() { Model = models[i % models.Length], Rating = 9 }, new() { Model = models[(i + 1) % models.Length], Rating = 2 }],
        })));

        var route = await engine.RouteAsync(Tenants.Default, new RouteCommand { UserId = "burst-user", Query = "How do I reverse a string?" });
        Assert.Equal(burst, route.UserInteractions);
        await WaitUntilAsync(() => engine.Recomputes.Pending == 0);
        Assert.Equal(burst, engine.Recomputes.Requests);
        Assert.InRange(engine.Recomputes.Runs, 1, burst);
        // once everything settled, the cached embedding holds all of it
        var again = await engine.RouteAsync(Tenants.Default, new RouteCommand { UserId = "burst-user", Query = "How do I reverse a string?" });
        Assert.Equal(burst, again.UserInteractions);
    }

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.HoldsAsync(condition, "the condition", Generous);

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
