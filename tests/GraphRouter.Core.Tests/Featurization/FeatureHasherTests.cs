using GraphRouter.Core.Featurization;

namespace GraphRouter.Core.Tests.Featurization;

public sealed class FeatureHasherTests
{
    [Theory]
    [InlineData("")]
    [InlineData("w:the")]
    [InlineData("c:abc")]
    [InlineData("b:def sum")]
    [InlineData("ünïcødé 数据")]
    public void Hash_is_fnv1a_over_utf16_units_then_the_documented_avalanche(string text)
    {
        // Saved encoders depend on these exact buckets: the hash must never change.
        Assert.Equal(Reference(text, 0), FeatureHasher.Hash(text));
        Assert.Equal(Reference(text, 17), FeatureHasher.Hash(text, 17));
    }

    [Fact]
    public void Seed_changes_the_hash()
    {
        Assert.NotEqual(FeatureHasher.Hash("w:the", 0), FeatureHasher.Hash("w:the", 1));
    }

    [Fact]
    public void Buckets_are_in_range_and_spread_with_balanced_signs()
    {
        const int buckets = 64;
        var counts = new int[buckets];
        var positive = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var (bucket, sign) = FeatureHasher.Bucket($"w:token{i}", buckets);
            Assert.InRange(bucket, 0, buckets - 1);
            Assert.True(sign is 1f or -1f);
            counts[bucket]++;
            positive += sign > 0 ? 1 : 0;
        }
        // 312.5 expected per bucket; a uniform hash stays well within ±30%.
        Assert.All(counts, c => Assert.InRange(c, 220, 410));
        Assert.InRange(positive, 9_500, 10_500);
    }

    private static uint Reference(string text, uint seed)
    {
        var hash = 2166136261u ^ seed;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }
        hash ^= hash >> 16;
        hash = unchecked(hash * 0x7feb352du);
        hash ^= hash >> 15;
        return hash;
    }
}
