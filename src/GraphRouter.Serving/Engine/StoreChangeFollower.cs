using System.Diagnostics;
using GraphRouter.Storage;
using GraphRouter.Storage.Changes;

namespace GraphRouter.Serving.Engine;

/// <summary>
/// Follows a store's change feed in the background so that what other instances (or the CLI, or the
/// retraining worker) commit reaches this one: from a starting sequence it reads the changes after the
/// last one it handled, hands those of other origins to <c>apply</c>, and waits on the store for more.
/// <para>
/// On PostgreSQL concurrent transactions may commit out of sequence order, so a higher sequence can be read
/// while a lower one is still in flight. The follower therefore keeps a low-water mark below which every
/// sequence was handled, re-reads from it while a gap lasts (handling each change once), and gives a gap
/// up after <see cref="GapGrace"/> (a sequence taken by a transaction that rolled back never appears); a
/// gap given up, like any error, ends in <c>resync</c>, which rebuilds all followed state from the store,
/// so nothing that may have been missed stays stale. Errors are logged and retried with back-off.
/// </para>
/// </summary>
public sealed class StoreChangeFollower : IDisposable
{
    /// <summary>How long a gap in the sequence is re-read before it is taken for a rolled-back transaction.</summary>
    public static readonly TimeSpan GapGrace = TimeSpan.FromSeconds(5);

    private const int Page = 1_000;
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan GapRecheck = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly IGraphStore _store;
    private readonly Func<IReadOnlyList<StoreChange>, CancellationToken, Task> _apply;
    private readonly Func<CancellationToken, Task> _resync;
    private readonly TextWriter? _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly SortedSet<long> _handledAboveLow = [];
    private Task? _loop;
    private long _low;
    private long _applied;
    private long _resyncs;

    /// <param name="store">The store to follow.</param>
    /// <param name="startAfter">The sequence the follower's state was read at: changes after it are followed.</param>
    /// <param name="apply">Applies changes of other origins, in sequence order (one page at a time).</param>
    /// <param name="resync">Rebuilds all followed state from the store (after an error or a gap given up).</param>
    /// <param name="log">Where errors and resyncs are reported (null: nowhere).</param>
    public StoreChangeFollower(IGraphStore store, long startAfter, Func<IReadOnlyList<StoreChange>, CancellationToken, Task> apply,
        Func<CancellationToken, Task> resync, TextWriter? log)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegative(startAfter);
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(resync);
        _store = store;
        _low = startAfter;
        _apply = apply;
        _resync = resync;
        _log = log;
    }

    /// <summary>Every sequence up to this one was handled (applied, skipped as its own, or covered by a resync).</summary>
    public long Position => Interlocked.Read(ref _low);

    /// <summary>How many changes of other origins were applied.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>How many times the followed state was rebuilt from the store.</summary>
    public long Resyncs => Interlocked.Read(ref _resyncs);

    /// <summary>Starts following in the background; a second call does nothing.</summary>
    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        var needsResync = false;
        long? gapSince = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needsResync)
                {
                    // Read the position first: whatever commits during the rebuild is read again after it.
                    var latest = await _store.GetLatestChangeSequenceAsync(cancellationToken);
                    await _resync(cancellationToken);
                    Interlocked.Increment(ref _resyncs);
                    _handledAboveLow.Clear();
                    Interlocked.Exchange(ref _low, latest);
                    gapSince = null;
                    needsResync = false;
                    Log($"resynced from the store at change {latest}");
                }

                // New changes after the highest handled one; and, while a gap lasts, the gap's window again
                // (at most a page of it), for a lower sequence that committed late.
                var highest = _handledAboveLow.Count > 0 ? _handledAboveLow.Max : _low;
                var changes = await _store.GetChangesAsync(highest, Page, cancellationToken);
                var read = changes;
                if (highest > _low)
                {
                    var window = await _store.GetChangesAsync(_low, (int)Math.Min(Page, highest - _low), cancellationToken);
                    read = [.. window, .. changes];
                }
                var fresh = read.Where(c => c.Sequence > _low && !_handledAboveLow.Contains(c.Sequence)).ToList();
                var foreign = fresh.Where(c => c.Origin != _store.InstanceId).ToList();
                if (foreign.Count > 0)
                {
                    await _apply(foreign, cancellationToken);
                    Interlocked.Add(ref _applied, foreign.Count);
                }
                foreach (var change in fresh)
                {
                    _handledAboveLow.Add(change.Sequence);
                }
                Advance();

                if (_handledAboveLow.Count == 0)
                {
                    gapSince = null;
                }
                else if (gapSince is null)
                {
                    gapSince = Stopwatch.GetTimestamp();
                }
                else if (Stopwatch.GetElapsedTime(gapSince.Value) > GapGrace)
                {
                    // The missing sequences belong to transactions that rolled back, or to rows pruned before this
                    // follower read them: skip them, and rebuild from the store in case something was missed.
                    Log($"changes {_low + 1}..{_handledAboveLow.Min - 1} never appeared; skipping them and resyncing");
                    Interlocked.Exchange(ref _low, _handledAboveLow.Min - 1);
                    Advance();
                    needsResync = true;
                    continue;
                }
                backoff = TimeSpan.FromMilliseconds(100);
                if (changes.Count == Page)
                {
                    continue;
                }
                highest = _handledAboveLow.Count > 0 ? _handledAboveLow.Max : _low;
                await _store.WaitForChangesAsync(highest, gapSince is null ? IdleWait : GapRecheck, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Log($"following store changes failed ({e.GetType().Name}: {e.Message}); resyncing in {backoff.TotalMilliseconds:0} ms");
                needsResync = true;
                try
                {
                    await Task.Delay(backoff, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
            }
        }
    }

    /// <summary>Moves the low-water mark over every handled sequence that directly follows it.</summary>
    private void Advance()
    {
        var low = _low;
        while (_handledAboveLow.Count > 0 && _handledAboveLow.Min <= low + 1)
        {
            low = Math.Max(low, _handledAboveLow.Min);
            _handledAboveLow.Remove(_handledAboveLow.Min);
        }
        Interlocked.Exchange(ref _low, low);
    }

    private void Log(string message)
    {
        if (_log is null)
        {
            return;
        }
        try
        {
            _log.WriteLine($"{DateTimeOffset.UtcNow:O} change feed: {message}");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // A closed log must not stop the follower.
        }
    }

    /// <summary>Stops following and waits (up to 10 s) for the loop to end; a second call does nothing.</summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        _stop.Cancel();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation; anything else it met was logged.
        }
        _stop.Dispose();
    }
}
