using GraphRouter.Core.Featurization;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Training.Encoders;

/// <summary>Query encoders by name. A fitted encoder is fitted here on the split's training part only.</summary>
public static class QueryEncoders
{
    public const string HashedNgrams = "hashed-ngrams";

    public static IReadOnlyList<string> Kinds { get; } = [HashedNgrams];

    public static IQueryEncoder Create(QueryEncoderOptions options, EvaluationSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return options.Kind switch
        {
            HashedNgrams => new HashedNgramEncoder(options.Dimension),
            _ => throw new ArgumentException($"unknown query encoder '{options.Kind}'; known: {string.Join(", ", Kinds)}", nameof(options)),
        };
    }
}
