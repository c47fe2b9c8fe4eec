using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using GraphRouter.Storage;

namespace GraphRouter.Api.Security;

/// <summary>
/// Turns a presented key into its <see cref="ApiCaller"/>, or null when it is malformed, unknown or revoked.
/// Keys are looked up in the store by their SHA-256 and remembered for <see cref="ApiSecurityOptions.KeyCacheDuration"/>
/// (valid and revoked ones alike; unknown ones are not remembered, so random guesses cannot fill memory). The
/// look-up by hash tells a timing observer at most something about the hash of their own guess, never about a
/// stored key; the stored hash is then compared in constant time all the same.
/// </summary>
internal sealed class ApiKeyAuthenticator
{
    private readonly IGraphStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheDuration;
    private readonly ConcurrentDictionary<string, CachedKey> _cache = new(StringComparer.Ordinal);

    public ApiKeyAuthenticator(IGraphStore store, ApiSecurityOptions options, TimeProvider time)
    {
        _store = store;
        _time = time;
        _cacheDuration = options.KeyCacheDuration;
    }

    public async ValueTask<ApiCaller?> AuthenticateAsync(string presented, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.IsWellFormed(presented))
        {
            return null;
        }

        var hash = ApiKeySecret.Hash(presented);
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Caller;
        }

        var record = await _store.FindApiKeyAsync(hash, cancellationToken);
        if (record is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(record.SecretHash), Encoding.ASCII.GetBytes(hash)))
        {
            _cache.TryRemove(hash, out _);
            return null;
        }

        var caller = record.IsRevoked ? null : new ApiCaller(record.Id, record.Name, record.Role, record.Tenant);
        if (_cacheDuration > TimeSpan.Zero)
        {
            _cache[hash] = new CachedKey(caller, now + _cacheDuration);
        }
        return caller;
    }

    private sealed record CachedKey(ApiCaller? Caller, DateTimeOffset Until);
}
