namespace GraphRouter.Routing.Costs;

/// <summary>How well an <see cref="IExpectedCostEstimator"/> predicts observed costs on a set of responses.</summary>
public sealed record CostModelError
{
    public required int Samples { get; init; }
    /// <summary>Mean absolute error in USD.</summary>
    public required double MeanAbsoluteErrorUsd { get; init; }
    /// <summary>Mean observed cost in USD, the scale against which to read the error.</summary>
    public required double MeanObservedUsd { get; init; }
    /// <summary>Sum of absolute errors over sum of observed costs.</summary>
    public required double RelativeAbsoluteError { get; init; }
    /// <summary>1 - SSE / SST against the set's own mean cost (pooled over models).</summary>
    public required double RSquared { get; init; }
}
