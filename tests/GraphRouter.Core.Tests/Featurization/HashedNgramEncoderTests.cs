using GraphRouter.Core.Featurization;

namespace GraphRouter.Core.Tests.Featurization;

public sealed class HashedNgramEncoderTests
{
    public static TheoryData<string> Texts => new()
    {
        "Which of the following statements best explains why magnets stick?\nA) iron\nB) smooth",
        "def sum_list(xs):\n    return sum(xs)",
        "x",
        "Ünïcødé 数据 \ud83d\ude00 \ud800 end \udc00",
        new string('z', 300) + " tail",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Encoding_equals_the_feature_strings_hashed_one_by_one(string text)
    {
        var encoder = new HashedNgramEncoder(256);

        var fast = encoder.Encode(text);

        Assert.Equal(Reference(text, 256), fast);
    }

    [Fact]
    public void Vectors_are_unit_length_and_empty_text_is_zero()
    {
        var encoder = new HashedNgramEncoder(128);

        var v = encoder.Encode("Print only a single choice from A or B.");
        var norm = Math.Sqrt(v.Sum(x => (double)x * x));

        Assert.Equal(1, norm, 5);
        Assert.All(encoder.Encode(""), x => Assert.Equal(0f, x));
        Assert.Equal("hashed-ngrams-128", encoder.Name);
    }

    [Fact]
    public void A_short_destination_is_rejected()
    {
        var encoder = new HashedNgramEncoder(64);

        Assert.Throws<ArgumentException>(() => encoder.Encode("text", new float[63]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HashedNgramEncoder(4));
    }

    // The feature definition written out plainly: build each feature string, hash it, log-scale, normalize.
    private static float[] Reference(string text, int buckets)
    {
        var counts = new float[buckets];
        void Add(string feature)
        {
            var (bucket, sign) = FeatureHasher.Bucket(feature, buckets);
            counts[bucket] += sign;
        }
        var tokens = TextTokenizer.Tokenize(text);
        for (var i = 0; i < tokens.Count; i++)
        {
            Add("w:" + tokens[i]);
            if (i + 1 < tokens.Count)
            {
                Add("b:" + tokens[i] + " " + tokens[i + 1]);
            }
        }
        var lower = text.ToLowerInvariant();
        for (var i = 0; i + 3 <= lower.Length; i++)
        {
            Add(string.Concat("c:", lower.AsSpan(i, 3)));
        }
        double norm = 0;
        for (var i = 0; i < buckets; i++)
        {
            counts[i] = MathF.Sign(counts[i]) * MathF.Log(1 + MathF.Abs(counts[i]));
            norm += counts[i] * counts[i];
        }
        if (norm > 0)
        {
            var inv = (float)(1 / Math.Sqrt(norm));
            for (var i = 0; i < buckets; i++)
            {
                counts[i] *= inv;
            }
        }
        return counts;
    }
}
