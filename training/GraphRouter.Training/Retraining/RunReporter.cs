using System.Globalization;
using GraphRouter.Storage;
using GraphRouter.Storage.TrainingRuns;

namespace GraphRouter.Training.Retraining;

/// <summary>The run was taken from this worker (failed as stale by another, or ended elsewhere): the job stops and writes nothing more to it.</summary>
public sealed class TrainingRunLostException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// A claimed run's progress as the job advances: each stage and epoch is written to the run record
/// (<see cref="IGraphStore.ReportTrainingRunProgressAsync"/>), and a heartbeat re-sends the latest one at a fixed
/// interval while a long stage runs, so other workers never take a live run for a dead one. Reports are
/// serialized; every line also goes to the log. A report the store refuses because the run is no longer this
/// worker's raises <see cref="TrainingRunLostException"/> on the job's next report.
/// </summary>
public sealed class RunReporter : IAsyncDisposable
{
    private readonly IGraphStore _store;
    private readonly TextWriter _log;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _heartbeat;
    private double _progress;
    private string? _message;
    private Exception? _lost;

    public RunReporter(IGraphStore store, string runId, string workerId, TextWriter log)
    {
        _store = store;
        RunId = runId;
        WorkerId = workerId;
        _log = log;
    }

    public string RunId { get; }
    public string WorkerId { get; }

    /// <summary>Re-sends the latest progress every <paramref name="interval"/> until disposed.</summary>
    public void StartHeartbeat(TimeSpan interval)
    {
        if (_heartbeat is not null)
        {
            throw new InvalidOperationException("the heartbeat is already running");
        }
        _heartbeat = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token) && _lost is null)
                {
                    try
                    {
                        await SendAsync(_progress, _message, null, _stop.Token);
                    }
                    catch (TrainingRunLostException)
                    {
                        // recorded: the job sees it at its next report
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // A store that does not answer for a moment: the next beat tries again, and a run whose beats
                        // all fail is failed as stale by the next worker, as it should be.
                        await _log.WriteLineAsync($"heartbeat of training run {RunId} failed: {e.Message}");
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // disposed
            }
        });
    }

    /// <summary>Records a stage: its progress (0 to 1), a message, and metrics JSON when given (null keeps the last).</summary>
    /// <exception cref="TrainingRunLostException">The run is no longer this worker's.</exception>
    public async Task ReportAsync(double progress, string message, string? metricsJson = null, CancellationToken cancellationToken = default)
    {
        ThrowIfLost();
        _progress = Math.Clamp(progress, 0, 1);
        _message = message;
        await _log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[{_progress:P0}] {message}"));
        await SendAsync(_progress, message, metricsJson, cancellationToken);
    }

    /// <summary><see cref="ReportAsync"/> for the trainer's synchronous epoch callback.</summary>
    public void Report(double progress, string message) => ReportAsync(progress, message).GetAwaiter().GetResult();

    /// <exception cref="TrainingRunLostException">The run is no longer this worker's.</exception>
    public void ThrowIfLost()
    {
        if (_lost is not null)
        {
            throw new TrainingRunLostException($"training run {RunId} is no longer owned by worker {WorkerId}: {_lost.Message}", _lost);
        }
    }

    private async Task SendAsync(double progress, string? message, string? metricsJson, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_lost is null)
            {
                await _store.ReportTrainingRunProgressAsync(RunId, WorkerId, progress, message, metricsJson, cancellationToken);
            }
        }
        catch (Exception e) when (e is StoreConflictException or StoreNotFoundException)
        {
            _lost = e;
        }
        finally
        {
            _gate.Release();
        }
        ThrowIfLost();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_heartbeat is not null)
        {
            await _heartbeat;
        }
        _stop.Dispose();
        _gate.Dispose();
    }
}
