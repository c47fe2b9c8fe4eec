namespace GraphRouter.Routing.Policies;

/// <summary>
/// A request's hold on the active policy: the policy stays undisposed until the lease is disposed, even if
/// another policy is activated meanwhile. Disposing twice releases once.
/// </summary>
public sealed class PolicyLease<TPolicy> : IDisposable
    where TPolicy : class, IDisposable
{
    private PolicySnapshot<TPolicy>? _snapshot;

    internal PolicyLease(PolicySnapshot<TPolicy> snapshot)
    {
        _snapshot = snapshot;
        Policy = snapshot.Policy;
    }

    public TPolicy Policy { get; }

    public void Dispose() => Interlocked.Exchange(ref _snapshot, null)?.Release();
}
