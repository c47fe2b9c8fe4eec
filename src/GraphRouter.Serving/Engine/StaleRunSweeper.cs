using GraphRouter.Storage;

namespace GraphRouter.Serving.Engine;

/// <summary>
/// Fails training runs whose worker stopped beating (<see cref="IGraphStore.FailStaleTrainingRunsAsync"/>) from the
/// serving side too. Workers sweep before each claim, but with no worker running (it crashed and was not restarted)
/// a dead worker's run would show RUNNING in <c>trainingRuns</c> for ever; every <c>graphrouter serve</c> now sweeps
/// every quarter of the timeout, so the run turns FAILED, with the worker and its last heartbeat named, within about
/// 1.25 times the timeout. Several instances sweeping one store is safe: the store fails each stale run once.
/// </summary>
public sealed class StaleRunSweeper : IAsyncDisposable
{
    private readonly IGraphStore _store;
    private readonly TimeSpan _timeout;
    private readonly TextWriter? _log;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _failed;

    /// <param name="timeout">A RUNNING run whose last heartbeat is older than this is failed; the workers' default is 60 s.</param>
    public StaleRunSweeper(IGraphStore store, TimeSpan timeout, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _store = store;
        _timeout = timeout;
        _log = log;
    }

    /// <summary>How often it sweeps: a quarter of the timeout, at least every 100 ms, at most every 30 s.</summary>
    public TimeSpan Interval => TimeSpan.FromTicks(Math.Clamp(_timeout.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(30).Ticks));

    /// <summary>Runs this sweeper has failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Starts sweeping in the background (once).</summary>
    public void Start() => _loop ??= LoopAsync(_stop.Token);

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                try
                {
                    foreach (var run in await _store.FailStaleTrainingRunsAsync(_timeout, cancellationToken))
                    {
                        Interlocked.Increment(ref _failed);
                        Log($"training run {run.Id} failed: {run.Error}");
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                {
                    // The store may be briefly unavailable; the next sweep tries again.
                    Log($"stale training run sweep failed: {e.Message}");
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopped
        }
    }

    private void Log(string message)
    {
        try
        {
            _log?.WriteLine($"{DateTimeOffset.UtcNow:O} {message}");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // A closed log must not stop the sweeper.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        _stop.Dispose();
    }
}
