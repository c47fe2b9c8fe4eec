namespace GraphRouter.Routing.Policies;

/// <summary>
/// The active policy as an immutable snapshot swapped atomically. Readers take a lease without locking
/// (<c>using var lease = holder.Acquire();</c>); a swap publishes the new snapshot at once and disposes the
/// old one only after its last lease is released. A failed load (<see cref="TryReplace"/>) leaves the
/// current policy active. The first policy is loaded by the caller, so a bad first load fails start-up.
/// </summary>
public sealed class ActivePolicyHolder<TPolicy> : IDisposable
    where TPolicy : class, IDisposable
{
    private readonly Lock _writers = new();
    private PolicySnapshot<TPolicy>? _current;
    private long _swaps;

    public ActivePolicyHolder(TPolicy initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _current = new PolicySnapshot<TPolicy>(initial);
    }

    /// <summary>How many times a new policy has replaced the active one.</summary>
    public long Swaps => Interlocked.Read(ref _swaps);

    /// <summary>A lease on the active policy; dispose it when the request is done.</summary>
    public PolicyLease<TPolicy> Acquire()
    {
        while (true)
        {
            var snapshot = Volatile.Read(ref _current) ?? throw new ObjectDisposedException(nameof(ActivePolicyHolder<TPolicy>));
            if (snapshot.TryAddReference())
            {
                return new PolicyLease<TPolicy>(snapshot);
            }
        }
    }

    /// <summary>Makes <paramref name="next"/> the active policy; the previous one is disposed after its last lease.</summary>
    public void Swap(TPolicy next)
    {
        ArgumentNullException.ThrowIfNull(next);
        PolicySnapshot<TPolicy> previous;
        lock (_writers)
        {
            previous = Volatile.Read(ref _current) ?? throw new ObjectDisposedException(nameof(ActivePolicyHolder<TPolicy>));
            Volatile.Write(ref _current, new PolicySnapshot<TPolicy>(next));
            Interlocked.Increment(ref _swaps);
        }
        previous.Release();
    }

    /// <summary>Loads a policy and swaps it in; when <paramref name="load"/> throws, the active policy stays and the error is returned.</summary>
    public bool TryReplace(Func<TPolicy> load, out Exception? error)
    {
        ArgumentNullException.ThrowIfNull(load);
        TPolicy next;
        try
        {
            next = load();
        }
        catch (Exception e)
        {
            error = e;
            return false;
        }
        Swap(next);
        error = null;
        return true;
    }

    /// <summary>Stops handing out leases; the active policy is disposed after its last lease.</summary>
    public void Dispose()
    {
        PolicySnapshot<TPolicy>? previous;
        lock (_writers)
        {
            previous = Volatile.Read(ref _current);
            Volatile.Write(ref _current, null);
        }
        previous?.Release();
    }
}
