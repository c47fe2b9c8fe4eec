using GraphRouter.Core.Domain;

namespace GraphRouter.Routing.Costs;

/// <summary>
/// Fits <see cref="FittedCostModel"/> per model: the implied input and output prices per token by
/// non-negative least squares of costUsd on (prompt tokens, answer tokens), no intercept; and the expected
/// answer length per prompt-length band (<see cref="Bands"/> bands at the training prompts' quantiles).
/// Deterministic: no randomness, models in ordinal order.
/// </summary>
public static class CostModelFitter
{
    public const string TokenRule = "ceil(chars / 4)";
    public const int Bands = 8;

    public static FittedCostModel Fit(IEnumerable<Outcome> outcomes, Func<string, string> queryText)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(queryText);
        var models = new List<ModelCostParameters>();
        foreach (var group in outcomes.GroupBy(o => o.Llm, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var prompt = group.Select(o => (double)TokenEstimate.Count(queryText(o.QueryId))).ToArray();
            var answer = group.Select(o => (double)TokenEstimate.Count(o.Response)).ToArray();
            var cost = group.Select(o => o.CostUsd).ToArray();
            var (inputPrice, outputPrice) = NonNegativeLeastSquares(prompt, answer, cost);
            var (edges, means) = AnswerLengthBands(prompt, answer);
            models.Add(new ModelCostParameters
            {
                Model = group.Key,
                UsdPerPromptToken = inputPrice,
                UsdPerAnswerToken = outputPrice,
                PromptTokenEdges = edges,
                MeanAnswerTokens = means,
                TypicalAnswerTokens = answer.Average(),
                Samples = prompt.Length,
            });
        }
        return new FittedCostModel { TokenRule = TokenRule, Models = models };
    }

    /// <summary>min ||a x1 + b x2 - y||^2 over a, b &gt;= 0, by the 2x2 normal equations and, where one comes out negative, the best single-feature fit.</summary>
    internal static (double A, double B) NonNegativeLeastSquares(double[] x1, double[] x2, double[] y)
    {
        double s11 = 0, s22 = 0, s12 = 0, s1y = 0, s2y = 0;
        for (var i = 0; i < y.Length; i++)
        {
            s11 += x1[i] * x1[i];
            s22 += x2[i] * x2[i];
            s12 += x1[i] * x2[i];
            s1y += x1[i] * y[i];
            s2y += x2[i] * y[i];
        }
        var det = (s11 * s22) - (s12 * s12);
        if (det > 1e-12 * s11 * s22)
        {
            var a = ((s22 * s1y) - (s12 * s2y)) / det;
            var b = ((s11 * s2y) - (s12 * s1y)) / det;
            if (a >= 0 && b >= 0)
            {
                return (a, b);
            }
        }
        var onlyA = s11 > 0 ? Math.Max(0, s1y / s11) : 0;
        var onlyB = s22 > 0 ? Math.Max(0, s2y / s22) : 0;
        double Residual(double a, double b)
        {
            double sum = 0;
            for (var i = 0; i < y.Length; i++)
            {
                var r = (a * x1[i]) + (b * x2[i]) - y[i];
                sum += r * r;
            }
            return sum;
        }
        return Residual(onlyA, 0) <= Residual(0, onlyB) ? (onlyA, 0) : (0, onlyB);
    }

    private static (List<double> Edges, List<double> Means) AnswerLengthBands(double[] prompt, double[] answer)
    {
        var sorted = prompt.Order().ToArray();
        var edges = new List<double>();
        for (var band = 1; band < Bands; band++)
        {
            var edge = sorted[(int)((long)band * sorted.Length / Bands)];
            if (edge > sorted[0] && (edges.Count == 0 || edge > edges[^1]))
            {
                edges.Add(edge);
            }
        }
        var sums = new double[edges.Count + 1];
        var counts = new int[edges.Count + 1];
        for (var i = 0; i < prompt.Length; i++)
        {
            var band = edges.Count(e => prompt[i] >= e);
            sums[band] += answer[i];
            counts[band]++;
        }
        var overall = answer.Average();
        var means = sums.Select((s, i) => counts[i] > 0 ? s / counts[i] : overall).ToList();
        return (edges, means);
    }
}
