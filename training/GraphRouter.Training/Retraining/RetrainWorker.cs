using System.Globalization;
using GraphRouter.Storage;
using GraphRouter.Storage.TrainingRuns;

namespace GraphRouter.Training.Retraining;

/// <summary>How a worker runs: its id, heartbeat, the staleness limit it enforces on others, and how often it polls.</summary>
public sealed record RetrainWorkerOptions
{
    /// <summary>Written on the runs it claims; unique per process by default.</summary>
    public string WorkerId { get; init; } = DefaultWorkerId();

    /// <summary>A RUNNING run whose heartbeat is older than this is failed as abandoned (its worker died).</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often this worker's heartbeat is sent while a run's stage takes long: a quarter of the timeout, at most 10 s.</summary>
    public TimeSpan HeartbeatInterval => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(100).Ticks, Math.Min(TimeSpan.FromSeconds(10).Ticks, HeartbeatTimeout.Ticks / 4)));

    /// <summary>How long an idle worker waits before looking for a queued run again.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Serve at most one run, then exit (none queued: exit at once).</summary>
    public bool Once { get; init; }

    public static string DefaultWorkerId() =>
        string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}");
}

/// <summary>
/// Serves training runs: <see cref="ServeAsync"/> runs one claimed run to its end, and never leaves it RUNNING on
/// an exception (it ends FAILED with the error; a run that was taken from this worker meanwhile is left to whoever
/// has it). <see cref="RunAsync"/> is <c>retrain --worker</c>: on start and between runs it fails the runs of
/// workers that stopped heartbeating, claims the oldest queued run (atomically: two workers never get the same
/// one), serves it, and polls when none is queued.
/// </summary>
public static class RetrainWorker
{
    /// <returns>The run as it ended, or null when it was taken from this worker before it could be ended.</returns>
    public static async Task<TrainingRunRecord?> ServeAsync(IGraphStore store, RetrainJob job, TrainingRunRecord run, RetrainWorkerOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        await log.WriteLineAsync($"worker {options.WorkerId}: serving training run {run.Id} (config {run.ConfigJson})");
        TrainingRunOutcome outcome;
        var reporter = new RunReporter(store, run.Id, options.WorkerId, log);
        try
        {
            reporter.StartHeartbeat(options.HeartbeatInterval);
            outcome = await job.RunAsync(RetrainRequest.FromRunConfig(run.ConfigJson), reporter, cancellationToken);
        }
        catch (TrainingRunLostException e)
        {
            await log.WriteLineAsync($"training run {run.Id} abandoned: {e.Message}");
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = new TrainingRunOutcome { Status = TrainingRunStatus.Failed, Error = $"cancelled: worker {options.WorkerId} was stopped" };
        }
        catch (Exception e)
        {
            outcome = new TrainingRunOutcome { Status = TrainingRunStatus.Failed, Error = $"{e.GetType().Name}: {e.Message}" };
        }
        finally
        {
            await reporter.DisposeAsync();
        }
        try
        {
            var ended = await store.FinishTrainingRunAsync(run.Id, options.WorkerId, outcome, CancellationToken.None);
            await log.WriteLineAsync($"training run {run.Id}: {ended.Status}{(ended.PolicyVersion is null ? "" : $", policy {ended.PolicyVersion}")}{(ended.Error is null ? "" : $": {ended.Error}")}");
            if (ended.MetricsJson is not null)
            {
                await log.WriteLineAsync($"metrics {ended.MetricsJson}");
            }
            return ended;
        }
        catch (Exception e) when (e is StoreConflictException or StoreNotFoundException)
        {
            await log.WriteLineAsync($"training run {run.Id} was taken from worker {options.WorkerId} before it ended ({e.Message}); its outcome {outcome.Status} is not recorded");
            return null;
        }
    }

    /// <summary>The worker loop; returns the last run it served (null: none) when <see cref="RetrainWorkerOptions.Once"/>, else runs until cancelled.</summary>
    public static async Task<TrainingRunRecord?> RunAsync(IGraphStore store, RetrainJob job, RetrainWorkerOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"worker {options.WorkerId} on {store.Location}: heartbeat every {options.HeartbeatInterval.TotalSeconds:0.#} s, runs silent for {options.HeartbeatTimeout.TotalSeconds:0.#} s are failed{(options.Once ? ", one run" : "")}"));
        TrainingRunRecord? last = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TrainingRunRecord? run;
            try
            {
                foreach (var stale in await store.FailStaleTrainingRunsAsync(options.HeartbeatTimeout, cancellationToken))
                {
                    await log.WriteLineAsync($"failed abandoned training run {stale.Id}: {stale.Error}");
                }
                run = await store.ClaimTrainingRunAsync(options.WorkerId, cancellationToken);
            }
            catch (Exception e) when (!options.Once && e is not OperationCanceledException)
            {
                // A store that is down or not migrated yet (the service migrates it on start): a long-lived worker waits for it.
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"the store did not answer ({e.GetType().Name}: {e.Message}); trying again in {options.PollInterval.TotalSeconds:0.#} s"));
                await Task.Delay(options.PollInterval, cancellationToken);
                continue;
            }
            if (run is not null)
            {
                last = await ServeAsync(store, job, run, options, log, cancellationToken) ?? last;
                if (options.Once)
                {
                    return last;
                }
                continue;
            }
            if (options.Once)
            {
                await log.WriteLineAsync("no queued training run");
                return last;
            }
            await Task.Delay(options.PollInterval, cancellationToken);
        }
    }
}
