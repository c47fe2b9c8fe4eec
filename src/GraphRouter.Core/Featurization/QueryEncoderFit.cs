namespace GraphRouter.Core.Featurization;

/// <summary>A fitted encoder and what cross-fitting gives its trainer besides.</summary>
public sealed record QueryEncoderFit
{
    public required FittedQueryEncoder Encoder { get; init; }

    /// <summary>
    /// Each training prompt's vector as predicted by the model fitted without that prompt's fold. A downstream
    /// model trained on these sees the same prediction noise it will meet on new prompts at serving time,
    /// where <see cref="FittedQueryEncoder.Encode"/> on a training prompt returns in-sample (over-confident)
    /// predictions. Training-time only: not part of the saved parameters.
    /// </summary>
    public required IReadOnlyDictionary<string, float[]> OutOfFoldVectors { get; init; }
}
