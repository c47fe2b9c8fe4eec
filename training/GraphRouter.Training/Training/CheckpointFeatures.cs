using GraphRouter.Core.Featurization;

namespace GraphRouter.Training.Training;

/// <summary>The featurization a checkpoint was trained with (<c>features.json</c>).</summary>
public sealed record CheckpointFeatures
{
    public required string Encoder { get; init; }
    public required int EncoderDimension { get; init; }
    public required ResponseStatistics Responses { get; init; }
    public required IReadOnlyList<string> Llms { get; init; }
}
