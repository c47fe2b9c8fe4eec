using GraphRouter.Core.Domain;

namespace GraphRouter.Routing.Costs;

/// <summary>Held-out evaluation of a cost estimator: a seeded split by query, and the error on the held-out responses.</summary>
public static class CostModelEvaluation
{
    /// <summary>Splits query ids (sorted, then shuffled by <paramref name="seed"/>) into a training and a held-out set.</summary>
    public static (IReadOnlySet<string> Train, IReadOnlySet<string> HeldOut) SplitByQuery(IEnumerable<string> queryIds, double heldOutShare, int seed)
    {
        ArgumentNullException.ThrowIfNull(queryIds);
        if (!(heldOutShare > 0 && heldOutShare < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(heldOutShare), heldOutShare, "must lie strictly between 0 and 1");
        }
        var ids = queryIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(ids);
        var heldOutCount = (int)Math.Round(ids.Length * heldOutShare);
        return (ids.Skip(heldOutCount).ToHashSet(StringComparer.Ordinal), ids.Take(heldOutCount).ToHashSet(StringComparer.Ordinal));
    }

    public static CostModelError Evaluate(IExpectedCostEstimator estimator, IEnumerable<Outcome> outcomes, Func<string, string> queryText)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(queryText);
        var pairs = new List<(double Predicted, double Observed)>();
        foreach (var outcome in outcomes)
        {
            var predicted = estimator.ExpectedCostUsd(outcome.Llm, queryText(outcome.QueryId))
                ?? throw new ArgumentException($"no cost estimate for model '{outcome.Llm}'", nameof(outcomes));
            pairs.Add((predicted, outcome.CostUsd));
        }
        if (pairs.Count == 0)
        {
            throw new ArgumentException("no outcomes to evaluate on", nameof(outcomes));
        }
        var meanObserved = pairs.Average(p => p.Observed);
        var absolute = pairs.Sum(p => Math.Abs(p.Predicted - p.Observed));
        var sse = pairs.Sum(p => (p.Predicted - p.Observed) * (p.Predicted - p.Observed));
        var sst = pairs.Sum(p => (p.Observed - meanObserved) * (p.Observed - meanObserved));
        var observedTotal = pairs.Sum(p => p.Observed);
        return new CostModelError
        {
            Samples = pairs.Count,
            MeanAbsoluteErrorUsd = absolute / pairs.Count,
            MeanObservedUsd = meanObserved,
            RelativeAbsoluteError = observedTotal > 0 ? absolute / observedTotal : 0,
            RSquared = sst > 0 ? 1 - (sse / sst) : 0,
        };
    }
}
