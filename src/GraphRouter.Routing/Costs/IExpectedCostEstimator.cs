namespace GraphRouter.Routing.Costs;

/// <summary>The expected cost in USD of sending one query to one model; null when it cannot be estimated.</summary>
public interface IExpectedCostEstimator
{
    double? ExpectedCostUsd(string model, string queryText);
}
