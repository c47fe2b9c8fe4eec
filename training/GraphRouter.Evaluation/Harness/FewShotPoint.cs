namespace GraphRouter.Evaluation.Harness;

/// <summary>New users seeing their first <see cref="K"/> interactions, scored on the same target pairs for every k.</summary>
public sealed record FewShotPoint
{
    public required int K { get; init; }
    public required double Accuracy { get; init; }
    /// <summary>User-level bootstrap standard error of <see cref="Accuracy"/>.</summary>
    public required double StandardError { get; init; }
    public required double Auc { get; init; }
    public required double MeanUserAuc { get; init; }
    public required int Pairs { get; init; }
}
