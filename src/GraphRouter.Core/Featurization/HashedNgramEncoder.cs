using System.Text;

namespace GraphRouter.Core.Featurization;

/// <summary>
/// An unfitted bag of hashed word uni/bigrams and character trigrams, sublinear counts, L2-normalized.
/// The raw feature space fitted encoders build on; on its own, a simple text representation for baselines.
/// </summary>
public sealed class HashedNgramEncoder : IQueryEncoder
{
    public HashedNgramEncoder(int buckets = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 8);
        Dimension = buckets;
    }

    public string Name => $"hashed-ngrams-{Dimension}";

    public int Dimension { get; }

    public void Encode(string text, Span<float> destination)
    {
        if (destination.Length < Dimension)
        {
            throw new ArgumentException($"destination holds {destination.Length} values, needs {Dimension}", nameof(destination));
        }
        var counts = destination[..Dimension];
        counts.Clear();
        var tokens = TextTokenizer.Tokenize(text);
        var sb = new StringBuilder();
        for (var i = 0; i < tokens.Count; i++)
        {
            Add(counts, "w:" + tokens[i]);
            if (i + 1 < tokens.Count)
            {
                sb.Clear().Append("b:").Append(tokens[i]).Append(' ').Append(tokens[i + 1]);
                Add(counts, sb.ToString());
            }
        }
        var lower = text.ToLowerInvariant();
        for (var i = 0; i + 3 <= lower.Length; i++)
        {
            Add(counts, string.Concat("c:", lower.AsSpan(i, 3)));
        }
        double norm = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            var v = counts[i];
            var s = MathF.Sign(v) * MathF.Log(1 + MathF.Abs(v));
            counts[i] = s;
            norm += s * s;
        }
        if (norm > 0)
        {
            var inv = (float)(1 / Math.Sqrt(norm));
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] *= inv;
            }
        }
    }

    private void Add(Span<float> counts, string feature)
    {
        var (bucket, sign) = FeatureHasher.Bucket(feature, Dimension);
        counts[bucket] += sign;
    }
}
