using GraphRouter.Core.Featurization;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Training.Encoders;

/// <summary>
/// Query encoders by name. The fitted encoder is fitted here on the split's training prompts only, with
/// out-of-fold vectors for those prompts (so the model never trains on in-sample, over-confident outputs).
/// </summary>
public static class QueryEncoders
{
    public const string HashedNgrams = "hashed-ngrams";
    public const string Fitted = "fitted";

    public static IReadOnlyList<string> Kinds { get; } = [HashedNgrams, Fitted];

    /// <returns>The encoder and, for a fitted one, the training prompts' out-of-fold vectors (else empty).</returns>
    public static (IQueryEncoder Encoder, IReadOnlyDictionary<string, float[]> OutOfFold) Create(QueryEncoderOptions options, EvaluationSplit split)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(split);
        switch (options.Kind)
        {
            case HashedNgrams:
                return (new HashedNgramEncoder(options.Dimension), new Dictionary<string, float[]>());
            case Fitted:
                var fit = FittedQueryEncoder.FitWithOutOfFoldVectors(split.Data, split.TrainQueries, new FittedQueryEncoderOptions { Buckets = options.Dimension });
                return (fit.Encoder, fit.OutOfFoldVectors);
            default:
                throw new ArgumentException($"unknown query encoder '{options.Kind}'; known: {string.Join(", ", Kinds)}", nameof(options));
        }
    }
}
