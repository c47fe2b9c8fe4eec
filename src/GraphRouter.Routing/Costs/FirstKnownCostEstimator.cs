namespace GraphRouter.Routing.Costs;

/// <summary>
/// Asks each estimator in turn and returns the first known cost: registered prices first, then the cost
/// model fitted on observed costs, so a model gets a price-based estimate as soon as it has prices.
/// </summary>
public sealed class FirstKnownCostEstimator : IExpectedCostEstimator
{
    private readonly IReadOnlyList<IExpectedCostEstimator> _estimators;

    public FirstKnownCostEstimator(params IExpectedCostEstimator[] estimators)
    {
        ArgumentNullException.ThrowIfNull(estimators);
        _estimators = estimators.ToList();
    }

    public double? ExpectedCostUsd(string model, string queryText)
    {
        foreach (var estimator in _estimators)
        {
            if (estimator.ExpectedCostUsd(model, queryText) is { } cost)
            {
                return cost;
            }
        }
        return null;
    }
}
