using GraphRouter.Core.Domain;

namespace GraphRouter.Routing.Costs;

/// <summary>
/// Fits <see cref="FittedCostModel"/>: per model, ordinary least squares of costUsd on estimated prompt
/// tokens. A model whose prompts all have one length, or whose slope comes out negative, gets a flat line
/// at its mean cost (a negative price per token would make long prompts look cheaper).
/// </summary>
public static class CostModelFitter
{
    public const string TokenRule = "ceil(chars / 4)";

    public static FittedCostModel Fit(IEnumerable<Outcome> outcomes, Func<string, string> queryText)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(queryText);
        var models = new List<ModelCostParameters>();
        foreach (var group in outcomes.GroupBy(o => o.Llm, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var xs = group.Select(o => (double)TokenEstimate.Count(queryText(o.QueryId))).ToArray();
            var ys = group.Select(o => o.CostUsd).ToArray();
            var (intercept, slope) = LeastSquares(xs, ys);
            var answerTokens = group.Select(o => (double)TokenEstimate.Count(o.Response)).Order().ToArray();
            models.Add(new ModelCostParameters
            {
                Model = group.Key,
                InterceptUsd = intercept,
                UsdPerPromptToken = slope,
                TypicalAnswerTokens = Median(answerTokens),
                Samples = xs.Length,
            });
        }
        return new FittedCostModel { TokenRule = TokenRule, Models = models };
    }

    private static (double Intercept, double Slope) LeastSquares(double[] xs, double[] ys)
    {
        var meanX = xs.Average();
        var meanY = ys.Average();
        double sxx = 0, sxy = 0;
        for (var i = 0; i < xs.Length; i++)
        {
            sxx += (xs[i] - meanX) * (xs[i] - meanX);
            sxy += (xs[i] - meanX) * (ys[i] - meanY);
        }
        if (sxx <= 0 || sxy <= 0)
        {
            return (meanY, 0);
        }
        var slope = sxy / sxx;
        return (meanY - (slope * meanX), slope);
    }

    private static double Median(double[] sorted) =>
        sorted.Length == 0 ? 0
        : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
        : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
