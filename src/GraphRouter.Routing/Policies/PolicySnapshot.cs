namespace GraphRouter.Routing.Policies;

/// <summary>
/// One loaded policy with a reference count: the holder owns one reference while the snapshot is active,
/// each lease one more. The policy is disposed exactly once, when the count reaches zero; after that no
/// reference can be taken again.
/// </summary>
internal sealed class PolicySnapshot<TPolicy>
    where TPolicy : class, IDisposable
{
    private int _references = 1;

    public PolicySnapshot(TPolicy policy)
    {
        Policy = policy;
    }

    public TPolicy Policy { get; }

    public bool TryAddReference()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void Release()
    {
        var remaining = Interlocked.Decrement(ref _references);
        if (remaining == 0)
        {
            Policy.Dispose();
        }
        else if (remaining < 0)
        {
            throw new InvalidOperationException("policy snapshot released more often than acquired");
        }
    }
}
