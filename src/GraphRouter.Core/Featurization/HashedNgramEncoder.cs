namespace GraphRouter.Core.Featurization;

/// <summary>
/// An unfitted bag of hashed word uni/bigrams and character trigrams, sublinear counts, L2-normalized.
/// The raw feature space fitted encoders build on; on its own, a simple text representation for baselines.
/// </summary>
/// <remarks>
/// Features are the strings <c>w:TOKEN</c>, <c>b:TOKEN TOKEN</c> (tokens from <see cref="TextTokenizer"/>)
/// and <c>c:XYZ</c> (three consecutive characters of the lower-cased text), hashed with
/// <see cref="FeatureHasher.Bucket"/>. They are hashed from a reused buffer, never built as strings.
/// </remarks>
public sealed class HashedNgramEncoder : IQueryEncoder
{
    // Longest feature: "b:" + token + ' ' + token, tokens capped at TextTokenizer.MaxTokenLength.
    private const int FeatureBufferLength = 3 + 2 * TextTokenizer.MaxTokenLength;

    public HashedNgramEncoder(int buckets = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 8);
        Dimension = buckets;
    }

    public string Name => $"hashed-ngrams-{Dimension}";

    public int Dimension { get; }

    public void Encode(string text, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (destination.Length < Dimension)
        {
            throw new ArgumentException($"destination holds {destination.Length} values, needs {Dimension}", nameof(destination));
        }
        var counts = destination[..Dimension];
        counts.Clear();
        Span<char> feature = stackalloc char[FeatureBufferLength];
        var tokens = TextTokenizer.Tokenize(text);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            feature[0] = 'w';
            feature[1] = ':';
            token.CopyTo(feature[2..]);
            Add(counts, feature[..(2 + token.Length)]);
            if (i + 1 < tokens.Count)
            {
                var next = tokens[i + 1];
                feature[0] = 'b';
                feature[2 + token.Length] = ' ';
                next.CopyTo(feature[(3 + token.Length)..]);
                Add(counts, feature[..(3 + token.Length + next.Length)]);
            }
        }
        var lower = text.ToLowerInvariant();
        feature[0] = 'c';
        feature[1] = ':';
        for (var i = 0; i + 3 <= lower.Length; i++)
        {
            lower.AsSpan(i, 3).CopyTo(feature[2..]);
            Add(counts, feature[..5]);
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

    private void Add(Span<float> counts, ReadOnlySpan<char> feature)
    {
        var (bucket, sign) = FeatureHasher.Bucket(feature, Dimension);
        counts[bucket] += sign;
    }
}
