using System.Collections.Concurrent;

namespace GraphRouter.Serving.Engine;

/// <summary>
/// Runs background work per key (a user's re-embedding after feedback) so that a burst of requests for one key
/// costs at most two runs, not one per request: a run starts a short delay after the request that scheduled it,
/// and while it has not started, further requests add nothing (it will read the latest state anyway); while one
/// is running, further requests mark it dirty and exactly one more run follows it (after the same delay).
/// Different keys run independently.
/// <para>
/// Why: every feedback makes its user's embedding stale, and re-embedding reads up to the policy's history
/// window from the store and runs the user encoder (about 1.3 ms of CPU at 200 interactions). A client sending
/// a user's ratings in quick succession started one re-embedding per rating, each reading the store through the
/// same connection the feedback writer needs; the later ones only repeat work a single later run does.
/// Correctness never depends on this: the feedback path invalidates the cached embedding before requesting a
/// run, so a route that arrives first computes the embedding itself.
/// </para>
/// </summary>
public sealed class RecomputeCoalescer<TKey>
    where TKey : notnull
{
    private const int Scheduled = 0;
    private const int Running = 1;
    private const int RunningDirty = 2;

    private readonly ConcurrentDictionary<TKey, int> _states = new();
    private readonly Func<TKey, Task> _work;
    private readonly TimeSpan _delay;
    private long _requests;
    private long _runs;

    /// <param name="work">The work for one key; its exceptions are the caller's to handle inside it (they are swallowed here).</param>
    /// <param name="delay">How long a scheduled run waits before it starts, absorbing the requests that arrive meanwhile; zero: only until a thread is free.</param>
    public RecomputeCoalescer(Func<TKey, Task> work, TimeSpan delay = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        _work = work;
        _delay = delay;
    }

    /// <summary>Requests received.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Runs started; at most <see cref="Requests"/>, fewer when requests coalesced.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>Keys with a run scheduled or in progress.</summary>
    public int Pending => _states.Count;

    /// <summary>Asks for a run for <paramref name="key"/> that starts after this call; returns at once.</summary>
    public void Request(TKey key)
    {
        Interlocked.Increment(ref _requests);
        var added = false;
        _states.AddOrUpdate(
            key,
            _ =>
            {
                added = true;
                return Scheduled;
            },
            (_, state) =>
            {
                added = false;
                return state == Running ? RunningDirty : state;
            });
        if (added)
        {
            _ = RunAsync(key);
        }
    }

    private async Task RunAsync(TKey key)
    {
        while (true)
        {
            // Off the caller's path (the request that scheduled this returns first), after the delay.
            if (_delay > TimeSpan.Zero)
            {
                await Task.Delay(_delay);
            }
            else
            {
                await Task.Yield();
            }
            // Scheduled -> Running: from here on a new request marks this run dirty instead of being absorbed by it.
            _states.TryUpdate(key, Running, Scheduled);
            Interlocked.Increment(ref _runs);
            try
            {
                await _work(key);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The work reports its own failures; a failed run must not stop the key's later runs.
            }
            if (_states.TryRemove(KeyValuePair.Create(key, Running)))
            {
                return;
            }
            // A request arrived while it ran: run once more, absorbing any that arrive before that run starts.
            _states.TryUpdate(key, Scheduled, RunningDirty);
        }
    }
}
