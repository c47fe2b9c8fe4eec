namespace GraphRouter.Api.Security;

/// <summary>Who may call /graphql and /metrics, and how often (see the README's "Security" section).</summary>
public sealed record ApiSecurityOptions
{
    /// <summary>
    /// Require an API key on /graphql (and /metrics unless <see cref="MetricsRequireKey"/> is false). False only for
    /// local experiments (<c>serve --insecure-no-auth</c>): every caller is then treated as an admin of the default
    /// tenant and nothing is rate limited per key. The host must register an <see cref="Storage.IGraphStore"/> when this is true.
    /// </summary>
    public bool RequireKeys { get; init; } = true;

    /// <summary>
    /// How long a looked-up key (valid or revoked) is remembered before the store is asked again: the longest a
    /// revocation made elsewhere (another instance, the CLI) takes to apply here. Zero asks the store on every request.
    /// </summary>
    public TimeSpan KeyCacheDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Per API key. High by default, so a single application's load tests are never throttled; set it per deployment.</summary>
    public RateLimitSettings PerKeyRateLimit { get; init; } = new(50_000, TimeSpan.FromSeconds(1));

    /// <summary>Per remote address, for requests with no valid key (each gets a 401 until the bucket is empty, then a 429).</summary>
    public RateLimitSettings AnonymousRateLimit { get; init; } = new(20, TimeSpan.FromSeconds(1));

    /// <summary>/metrics needs an admin key (a Prometheus scraper sends it as a bearer token). False serves it to anyone who can reach the port.</summary>
    public bool MetricsRequireKey { get; init; } = true;

    /// <summary>Every out-of-range setting, described.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (KeyCacheDuration < TimeSpan.Zero || KeyCacheDuration > TimeSpan.FromHours(1))
        {
            problems.Add($"key cache duration must be between 0 and 1 hour, got {KeyCacheDuration}");
        }
        problems.AddRange(PerKeyRateLimit.Problems("per-key rate limit"));
        problems.AddRange(AnonymousRateLimit.Problems("anonymous rate limit"));
        return problems;
    }
}
