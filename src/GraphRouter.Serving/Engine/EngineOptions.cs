namespace GraphRouter.Serving.Engine;

/// <summary>The engine's knobs and input limits. Defaults suit the embedded deployment.</summary>
public sealed record EngineOptions
{
    /// <summary>costWeight (lambda) when a route request gives none: USD-per-unit-of-preference-probability trade-off.</summary>
    public double DefaultCostWeight { get; init; }

    /// <summary>Most users whose embeddings the cache holds; beyond it the least recently used are dropped.</summary>
    public int EmbeddingCacheCapacity { get; init; } = 100_000;

    /// <summary>Longest query text a route or feedback may carry, in characters.</summary>
    public int MaxQueryLength { get; init; } = 32_768;

    /// <summary>Longest response text a feedback may carry, in characters.</summary>
    public int MaxResponseTextLength { get; init; } = 262_144;

    /// <summary>Longest user, conversation, decision id or idempotency key, in characters.</summary>
    public int MaxIdLength { get; init; } = 256;

    /// <summary>Most candidates a route may name and most responses a feedback may rate.</summary>
    public int MaxCandidates { get; init; } = 64;

    /// <summary>Highest conversation step accepted.</summary>
    public int MaxStep { get; init; } = 10_000;

    /// <summary>
    /// How long after a stored feedback the user's embedding is re-computed in the background, so that ratings a
    /// client sends in quick succession cost one re-embedding (see <see cref="RecomputeCoalescer{TKey}"/>). It never
    /// delays what a route sees: the feedback invalidates the cached embedding at once, and a route arriving
    /// sooner computes it itself. Zero re-embeds as soon as a thread is free.
    /// </summary>
    public TimeSpan RecomputeDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Follow the store's change feed from start-up (<see cref="StoreChangeFollower"/>), so that other instances'
    /// feedback, policy switches, model and setting changes reach this one within about a second.
    /// </summary>
    public bool FollowChanges { get; init; } = true;
}
