using GraphRouter.Evaluation.Metrics;

namespace GraphRouter.Evaluation.QualityRouting;

/// <summary>One global router on the quality table's test prompts: strong/weak routing curve and the multi-model cost-quality sweep.</summary>
public sealed record QualityRouterResult
{
    public required string Router { get; init; }
    public required double FitSeconds { get; init; }
    /// <summary>Mean measured quality when each prompt goes to the router's top model (no cost).</summary>
    public required double TopChoiceQuality { get; init; }
    public required RoutingCurve Routing { get; init; }
    public required IReadOnlyList<CostQualityPoint> CostQuality { get; init; }
}
