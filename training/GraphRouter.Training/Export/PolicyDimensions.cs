using GraphRouter.Training.Model;

namespace GraphRouter.Training.Export;

/// <summary>The sizes the exported graphs are written for: the model's options and the featurization's widths.</summary>
public sealed record PolicyDimensions
{
    public required HgtOptions Model { get; init; }
    public required int QueryDimension { get; init; }
    public required int LlmCount { get; init; }
    public required int ResponseDimension { get; init; }
    public required int CandidateDimension { get; init; }

    public int Hidden => Model.Hidden;
    public int HeadSize => Model.Hidden / Model.Heads;
    public int ScorerHeadSize => Model.ScorerHidden / Model.ScorerHeads;
}
