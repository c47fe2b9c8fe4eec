using System.Collections.Concurrent;
using GraphRouter.Storage.Tenancy;

namespace GraphRouter.Serving.Engine;

/// <summary>
/// Per-user embeddings under one policy version, keyed by <see cref="TenantUser"/>: the same user id in two tenants is
/// two entries, and one tenant's feedback never makes another tenant's entry stale or fresh. Feedback makes an entry stale at once
/// (<see cref="Invalidate"/>, which bumps the user's generation); an embedding computed from a history read
/// that started before the latest invalidation is never stored (<see cref="TryStore"/> compares
/// generations), so a slow recomputation can't overwrite a fresher one; <see cref="InvalidateAll"/> does the
/// same for every user at once (one epoch shared by all generations). Bounded: past the capacity the
/// entries not used for longest are dropped in one sweep.
/// </summary>
public sealed class UserEmbeddingCache
{
    private readonly ConcurrentDictionary<TenantUser, Entry> _entries = new();
    private readonly ConcurrentDictionary<TenantUser, long> _generations = new();
    private readonly int _capacity;
    private readonly Lock _sweep = new();
    private long _clock;
    private long _epoch;
    private long _hits;
    private long _misses;

    public UserEmbeddingCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);
    public int Count => _entries.Count;

    /// <summary>
    /// The current generation of a user: read it before reading the user's history. It grows with the user's
    /// own invalidations (low 40 bits) and with every <see cref="InvalidateAll"/> (the bits above).
    /// </summary>
    public long Generation(TenantUser user) => (Interlocked.Read(ref _epoch) << 40) + (_generations.TryGetValue(user, out var g) ? g : 0);

    public bool TryGet(TenantUser user, string policyVersion, out UserEmbedding embedding)
    {
        if (_entries.TryGetValue(user, out var entry) && entry.Embedding.PolicyVersion == policyVersion)
        {
            Volatile.Write(ref entry.LastUsed, Interlocked.Increment(ref _clock));
            Interlocked.Increment(ref _hits);
            embedding = entry.Embedding;
            return true;
        }
        Interlocked.Increment(ref _misses);
        embedding = null!;
        return false;
    }

    /// <summary>Stores an embedding computed from a history read begun at <paramref name="generation"/>, unless feedback arrived since.</summary>
    public bool TryStore(TenantUser user, long generation, UserEmbedding embedding)
    {
        if (Generation(user) != generation)
        {
            return false;
        }
        _entries[user] = new Entry(embedding, Interlocked.Increment(ref _clock));
        // Feedback may have landed between the check and the write: undo rather than keep a stale entry.
        if (Generation(user) != generation)
        {
            _entries.TryRemove(user, out _);
            return false;
        }
        if (_entries.Count > _capacity)
        {
            Sweep();
        }
        return true;
    }

    /// <summary>Marks the user's cached embedding stale (call after their feedback commits).</summary>
    public void Invalidate(TenantUser user)
    {
        _generations.AddOrUpdate(user, 1, (_, g) => g + 1);
        _entries.TryRemove(user, out _);
    }

    /// <summary>
    /// Marks every cached embedding stale, including those being computed now (when this instance may have
    /// missed other instances' feedback, e.g. after its change feed failed).
    /// </summary>
    public void InvalidateAll()
    {
        Interlocked.Increment(ref _epoch);
        _entries.Clear();
    }

    public void Clear() => _entries.Clear();

    private void Sweep()
    {
        lock (_sweep)
        {
            if (_entries.Count <= _capacity)
            {
                return;
            }
            var keep = _capacity * 3 / 4;
            var byAge = _entries.Select(e => (e.Key, Volatile.Read(ref e.Value.LastUsed))).OrderByDescending(e => e.Item2).ToList();
            foreach (var (key, _) in byAge.Skip(keep))
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private sealed class Entry(UserEmbedding embedding, long lastUsed)
    {
        public UserEmbedding Embedding { get; } = embedding;
        public long LastUsed = lastUsed;
    }
}

/// <summary>One user's embedding under one policy, and how many interactions informed it.</summary>
public sealed record UserEmbedding(string PolicyVersion, float[] Vector, int Interactions, DateTimeOffset? LastSeen);
