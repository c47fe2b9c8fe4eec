namespace GraphRouter.Core.Featurization;

/// <summary>Stable string hashing for the hashing trick (FNV-1a, 32-bit): the same bucket on every platform and run.</summary>
public static class FeatureHasher
{
    public static uint Hash(ReadOnlySpan<char> text, uint seed = 0)
    {
        var hash = 2166136261u ^ seed;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        // Final avalanche so nearby strings spread over buckets.
        hash ^= hash >> 16;
        hash *= 0x7feb352du;
        hash ^= hash >> 15;
        return hash;
    }

    /// <summary>The bucket in [0, <paramref name="buckets"/>) and a ±1 sign for <paramref name="feature"/>.</summary>
    public static (int Bucket, float Sign) Bucket(ReadOnlySpan<char> feature, int buckets)
    {
        var h = Hash(feature);
        return ((int)(h % (uint)buckets), (h & 0x80000000u) != 0 ? -1f : 1f);
    }
}
