using GraphRouter.Evaluation.QualityRouting;

namespace GraphRouter.Evaluation.Harness;

/// <summary>The outcome of one evaluation: every router on the same split, and the quality-table routers where a table was given.</summary>
public sealed record EvaluationReport
{
    public required string Dataset { get; init; }
    public required EvaluationOptions Options { get; init; }
    public required SplitSummary Split { get; init; }
    public required IReadOnlyList<RouterResult> Routers { get; init; }
    public IReadOnlyList<QualityRouterResult> QualityTable { get; init; } = [];
    public string? QualityTableEncoder { get; init; }
}
