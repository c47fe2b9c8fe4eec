namespace GraphRouter.Evaluation.Metrics;

/// <summary>One lambda of a multi-model router (pick argmax of predicted quality - lambda * cost): its mean cost and mean measured performance.</summary>
public sealed record CostQualityPoint(double Lambda, double MeanCostUsd, double Performance);
