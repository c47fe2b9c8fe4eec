namespace GraphRouter.Evaluation.Metrics;

/// <summary>RouteLLM's metrics (PGR, APGR, CPT) and a multi-model cost-quality sweep. Pure functions.</summary>
public static class CostQualityMetrics
{
    /// <summary>
    /// Sweeps the threshold of a router that calls the strong model when its win score exceeds it. Prompts
    /// with equal win scores switch together, so each distinct score is one point of the curve.
    /// </summary>
    /// <param name="winScore">Per prompt, the router's score for the strong model over the weak one.</param>
    /// <param name="strongPerformance">Per prompt, the strong model's measured performance.</param>
    /// <param name="weakPerformance">Per prompt, the weak model's measured performance.</param>
    public static RoutingCurve Sweep(string strong, string weak, IReadOnlyList<double> winScore, IReadOnlyList<double> strongPerformance, IReadOnlyList<double> weakPerformance)
    {
        var n = winScore.Count;
        if (n == 0 || strongPerformance.Count != n || weakPerformance.Count != n)
        {
            throw new ArgumentException("the three per-prompt lists must be non-empty and of equal length");
        }
        var perfStrong = strongPerformance.Average();
        var perfWeak = weakPerformance.Average();
        var gap = perfStrong - perfWeak;
        double Pgr(double perf) => gap == 0 ? double.NaN : (perf - perfWeak) / gap;

        var order = Enumerable.Range(0, n).OrderByDescending(i => winScore[i]).ThenBy(i => i).ToArray();
        var points = new List<RoutingCurvePoint> { new(0, perfWeak, Pgr(perfWeak)) };
        var total = weakPerformance.Sum();
        var start = 0;
        while (start < n)
        {
            var end = start;
            while (end + 1 < n && winScore[order[end + 1]] == winScore[order[start]])
            {
                end++;
            }
            for (var i = start; i <= end; i++)
            {
                total += strongPerformance[order[i]] - weakPerformance[order[i]];
            }
            var perf = total / n;
            points.Add(new RoutingCurvePoint((end + 1) / (double)n, perf, Pgr(perf)));
            start = end + 1;
        }

        double apgr = 0;
        for (var i = 1; i < points.Count; i++)
        {
            apgr += (points[i].StrongShare - points[i - 1].StrongShare) * (points[i].Pgr + points[i - 1].Pgr) / 2;
        }
        return new RoutingCurve
        {
            Strong = strong,
            Weak = weak,
            StrongPerformance = perfStrong,
            WeakPerformance = perfWeak,
            Points = points,
            Apgr = apgr,
            Cpt50 = CallPerformanceThreshold(points, 0.5),
            Cpt80 = CallPerformanceThreshold(points, 0.8),
        };
    }

    /// <summary>The smallest strong-call share whose PGR reaches <paramref name="pgr"/>; NaN when no point does.</summary>
    public static double CallPerformanceThreshold(IReadOnlyList<RoutingCurvePoint> points, double pgr)
    {
        foreach (var p in points.OrderBy(p => p.StrongShare))
        {
            if (p.Pgr >= pgr)
            {
                return p.StrongShare;
            }
        }
        return double.NaN;
    }

    /// <summary>
    /// For each lambda, each prompt goes to argmax over models of predicted[q][m] - lambda * cost[q][m];
    /// returns that policy's mean cost and mean measured performance.
    /// </summary>
    public static IReadOnlyList<CostQualityPoint> LambdaSweep(
        IReadOnlyList<double[]> predicted, IReadOnlyList<double[]> cost, IReadOnlyList<double[]> performance, IReadOnlyList<double> lambdas)
    {
        var result = new List<CostQualityPoint>(lambdas.Count);
        foreach (var lambda in lambdas)
        {
            double costSum = 0;
            double perfSum = 0;
            for (var q = 0; q < predicted.Count; q++)
            {
                var best = 0;
                var bestUtility = double.NegativeInfinity;
                for (var m = 0; m < predicted[q].Length; m++)
                {
                    var utility = predicted[q][m] - lambda * cost[q][m];
                    if (utility > bestUtility)
                    {
                        bestUtility = utility;
                        best = m;
                    }
                }
                costSum += cost[q][best];
                perfSum += performance[q][best];
            }
            result.Add(new CostQualityPoint(lambda, costSum / predicted.Count, perfSum / predicted.Count));
        }
        return result;
    }
}
