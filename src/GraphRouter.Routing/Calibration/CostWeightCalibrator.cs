using GraphRouter.Routing.Decisions;

namespace GraphRouter.Routing.Calibration;

/// <summary>
/// RouteLLM-style calibration of the cost weight: the smallest lambda at which at most a target share of a
/// set of queries is routed to the expensive models, found by running the decision rule itself. Lambda 0
/// if preference alone already stays within the target; otherwise an upper bound is found by doubling from
/// 1e-3 and the crossing is bisected a fixed number of times, so the same inputs give the same lambda.
/// The share is a step function of lambda (and need not fall monotonically, since probabilities and costs
/// trade off per query), so the achieved share is reported next to the target.
/// </summary>
public static class CostWeightCalibrator
{
    public const int BisectionSteps = 50;
    public const double MaxCostWeight = 1e12;

    /// <summary>The models whose price (any per-model figure: a per-token price, a mean expected cost) exceeds <paramref name="threshold"/>.</summary>
    public static IReadOnlySet<string> ModelsPricedAbove(IReadOnlyDictionary<string, double> prices, double threshold)
    {
        ArgumentNullException.ThrowIfNull(prices);
        return prices.Where(p => p.Value > threshold).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The share of <paramref name="queries"/> the rule routes to one of <paramref name="expensive"/> at <paramref name="costWeight"/>.</summary>
    public static double ExpensiveShare(IDecisionRule rule, IReadOnlyList<CalibrationQuery> queries, IReadOnlySet<string> expensive, double costWeight)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(expensive);
        if (queries.Count == 0)
        {
            throw new ArgumentException("no calibration queries", nameof(queries));
        }
        var context = new DecisionContext { PolicyVersion = "calibration", UserKnown = false, UserInteractions = 0 };
        var hits = 0;
        foreach (var query in queries)
        {
            var decision = rule.Decide(new RouteRequest { Query = query.Query, CostWeight = costWeight }, query.Candidates, context);
            if (expensive.Contains(decision.Model))
            {
                hits++;
            }
        }
        return (double)hits / queries.Count;
    }

    public static CalibrationResult Calibrate(IDecisionRule rule, IReadOnlyList<CalibrationQuery> queries, IReadOnlySet<string> expensive, double targetShare)
    {
        ArgumentNullException.ThrowIfNull(expensive);
        if (!(targetShare >= 0 && targetShare <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(targetShare), targetShare, "must lie within [0, 1]");
        }
        var evaluations = 0;
        double Share(double weight)
        {
            evaluations++;
            return ExpensiveShare(rule, queries, expensive, weight);
        }

        var atZero = Share(0);
        double weight, achieved;
        if (atZero <= targetShare)
        {
            (weight, achieved) = (0, atZero);
        }
        else
        {
            double low = 0, high = 1e-3;
            var highShare = Share(high);
            while (highShare > targetShare && high < MaxCostWeight)
            {
                low = high;
                high *= 2;
                highShare = Share(high);
            }
            if (highShare <= targetShare)
            {
                for (var step = 0; step < BisectionSteps; step++)
                {
                    var middle = low + ((high - low) / 2);
                    var middleShare = Share(middle);
                    if (middleShare <= targetShare)
                    {
                        (high, highShare) = (middle, middleShare);
                    }
                    else
                    {
                        low = middle;
                    }
                }
            }
            (weight, achieved) = (high, highShare);
        }

        return new CalibrationResult
        {
            CostWeight = weight,
            TargetShare = targetShare,
            AchievedShare = achieved,
            ShareAtZero = atZero,
            Queries = queries.Count,
            Evaluations = evaluations,
            ExpensiveModels = expensive.Order(StringComparer.Ordinal).ToList(),
        };
    }
}
