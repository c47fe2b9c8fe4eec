namespace GraphRouter.Routing.Calibration;

/// <summary>The calibrated cost weight and the share of decisions it actually sends to the expensive models.</summary>
public sealed record CalibrationResult
{
    public required double CostWeight { get; init; }
    public required double TargetShare { get; init; }
    /// <summary>The share of calibration queries routed to an expensive model at <see cref="CostWeight"/>; at most the target unless even the largest weight tried cannot get there.</summary>
    public required double AchievedShare { get; init; }
    /// <summary>The share at cost weight 0 (routing by preference alone).</summary>
    public required double ShareAtZero { get; init; }
    public required int Queries { get; init; }
    public required int Evaluations { get; init; }
    public required IReadOnlyList<string> ExpensiveModels { get; init; }
}
