using GraphRouter.Serving.Engine;
using GraphRouter.Storage;
using GraphRouter.Storage.TrainingRuns;

namespace GraphRouter.Serving.Tests.Engine;

/// <summary>
/// The serving side's sweep of abandoned training runs, on a real SQLite store: a run whose worker stopped beating
/// turns FAILED without any worker running; a run whose worker keeps beating is left alone. Waits poll with a
/// generous limit; nothing asserts on elapsed time.
/// </summary>
public sealed class StaleRunSweeperTests : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(1);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "graphrouter-sweep-" + Guid.NewGuid().ToString("N"));
    private IGraphStore _store = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _store = await GraphStoreFactory.OpenAsync(StoreLocation.Parse("sqlite:" + Path.Combine(_folder, "graphrouter.db")));
        await _store.MigrateAsync();
    }

    [Fact]
    public async Task A_dead_workers_run_turns_failed_while_a_beating_workers_run_stays_running()
    {
        var dead = await _store.QueueTrainingRunAsync("""{"config":"default"}""");
        Assert.Equal(dead.Id, (await _store.ClaimTrainingRunAsync("dead-worker"))!.Id);
        var live = await _store.QueueTrainingRunAsync("""{"config":"default"}""");
        Assert.Equal(live.Id, (await _store.ClaimTrainingRunAsync("live-worker"))!.Id);

        var log = new StringWriter();
        await using (var sweeper = new StaleRunSweeper(_store, TimeSpan.FromSeconds(2), TextWriter.Synchronized(log)))
        {
            sweeper.Start();
            var limit = DateTime.UtcNow + Generous;
            TrainingRunRecord? seen;
            var beat = 0;
            while ((seen = await _store.GetTrainingRunAsync(dead.Id))!.Status == TrainingRunStatus.Running)
            {
                Assert.True(DateTime.UtcNow < limit, "the dead worker's run was never failed");
                // the live worker beats far more often than the timeout
                await _store.ReportTrainingRunProgressAsync(live.Id, "live-worker", 0.1, $"epoch {++beat}", null);
                await Task.Delay(50);
            }
            Assert.Equal(TrainingRunStatus.Failed, seen.Status);
            Assert.Contains("dead-worker", seen.Error, StringComparison.Ordinal);
            Assert.NotNull(seen.Finished);
            Assert.Equal(1, sweeper.Failed);
            // a few more sweeps while the live worker keeps beating: it is never touched
            for (var i = 0; i < 30; i++)
            {
                await _store.ReportTrainingRunProgressAsync(live.Id, "live-worker", 0.2, $"epoch {++beat}", null);
                await Task.Delay(100);
            }
            Assert.Equal(TrainingRunStatus.Running, (await _store.GetTrainingRunAsync(live.Id))!.Status);
            Assert.Equal(1, sweeper.Failed);
        }
        Assert.Contains($"training run {dead.Id} failed", log.ToString(), StringComparison.Ordinal);
        // the dead worker's late report is refused: its run is over
        await Assert.ThrowsAsync<StoreConflictException>(() => _store.ReportTrainingRunProgressAsync(dead.Id, "dead-worker", 0.5, "late", null));
    }

    [Fact]
    public void A_timeout_that_is_not_positive_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StaleRunSweeper(_store, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(15), new StaleRunSweeper(_store, TimeSpan.FromSeconds(60)).Interval);
        Assert.Equal(TimeSpan.FromSeconds(30), new StaleRunSweeper(_store, TimeSpan.FromMinutes(10)).Interval);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
