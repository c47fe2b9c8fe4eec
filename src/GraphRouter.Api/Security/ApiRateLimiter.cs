using System.Threading.RateLimiting;

namespace GraphRouter.Api.Security;

/// <summary>
/// Token buckets (System.Threading.RateLimiting), one per API key id and one per remote address for requests with
/// no valid key. A request that finds its bucket empty is refused at once (no queue) with the time until the
/// bucket holds a permit again. Buckets of partitions idle for a while are dropped by the limiter itself.
/// </summary>
internal sealed class ApiRateLimiter : IDisposable
{
    private const string KeyPartition = "key:";
    private const string AddressPartition = "address:";

    private readonly PartitionedRateLimiter<string> _limiter;

    public ApiRateLimiter(ApiSecurityOptions options)
    {
        var perKey = Bucket(options.PerKeyRateLimit);
        var anonymous = Bucket(options.AnonymousRateLimit);
        _limiter = PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetTokenBucketLimiter(
            partition, key => key.StartsWith(KeyPartition, StringComparison.Ordinal) ? perKey : anonymous));
    }

    /// <summary>Takes a permit from the key's bucket; null when granted, else how long until one is free.</summary>
    public TimeSpan? AcquireForKey(string keyId) => Acquire(KeyPartition + keyId);

    /// <summary>Takes a permit from the remote address's bucket of requests without a valid key.</summary>
    public TimeSpan? AcquireForAddress(string address) => Acquire(AddressPartition + address);

    private TimeSpan? Acquire(string partition)
    {
        using var lease = _limiter.AttemptAcquire(partition);
        if (lease.IsAcquired)
        {
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
    }

    private static TokenBucketRateLimiterOptions Bucket(RateLimitSettings settings) => new()
    {
        TokenLimit = settings.Permits,
        TokensPerPeriod = settings.Permits,
        ReplenishmentPeriod = settings.Period,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    public void Dispose() => _limiter.Dispose();
}
