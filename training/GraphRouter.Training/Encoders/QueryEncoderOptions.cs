namespace GraphRouter.Training.Encoders;

/// <summary>Which query encoder turns prompt text into the Query node's vector, and its size.</summary>
public sealed record QueryEncoderOptions
{
    /// <summary>One of <see cref="QueryEncoders.Kinds"/>.</summary>
    public string Kind { get; init; } = QueryEncoders.Fitted;
    /// <summary>Hashed buckets: the vector size of hashed-ngrams, the n-gram input size of fitted (its output is 38 on routerbench).</summary>
    public int Dimension { get; init; } = 512;
}
