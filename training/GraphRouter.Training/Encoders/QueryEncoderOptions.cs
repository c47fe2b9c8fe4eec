namespace GraphRouter.Training.Encoders;

/// <summary>Which query encoder turns prompt text into the Query node's vector, and its size.</summary>
public sealed record QueryEncoderOptions
{
    /// <summary>One of <see cref="QueryEncoders.Kinds"/>.</summary>
    public string Kind { get; init; } = QueryEncoders.HashedNgrams;
    public int Dimension { get; init; } = 1024;
}
