using System.Diagnostics;
using GraphRouter.Core.Datasets;
using GraphRouter.Core.Domain;
using GraphRouter.Core.Featurization;
using GraphRouter.Evaluation.Metrics;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.QualityRouting;

/// <summary>
/// RouteLLM's cost-quality evaluation on a quality table (llmrouter-dc): global routers fitted on its train
/// rows, scored on its test rows. Strong = the best mean score on the train rows; weak = the cheapest scored
/// LLM by catalog price; performance = mean measured score. A prompt's cost is estimated from its length
/// (4 characters a token) and <see cref="AssumedOutputTokens"/> at the catalog's prices.
/// </summary>
public static class QualityTableEvaluation
{
    public const int AssumedOutputTokens = 256;

    /// <summary>Rows of the train part held out to choose kNN's neighbour count (by stable hash).</summary>
    private const double TuningFraction = 0.1;

    public static IReadOnlyList<QualityRouterResult> Run(QualityTable table, IQueryEncoder encoder, int seed, IProgress<string>? progress = null)
    {
        var llms = table.ScoredLlms;
        var prices = table.Catalog.Where(l => llms.Contains(l.Name)).ToDictionary(l => l.Name, l => l, StringComparer.Ordinal);
        var strong = llms.OrderByDescending(l => table.Train.Average(r => r.Scores.GetValueOrDefault(l))).ThenBy(l => l, StringComparer.Ordinal).First();
        var weak = llms.OrderBy(l => (prices[l].InputPricePerMillion ?? 0) + (prices[l].OutputPricePerMillion ?? 0)).ThenBy(l => l, StringComparer.Ordinal).First();
        var strongIndex = IndexOf(llms, strong);
        var weakIndex = IndexOf(llms, weak);
        progress?.Report($"llmrouter-dc: {llms.Count} scored LLMs, strong {strong}, weak {weak}, {table.Train.Count} train / {table.Test.Count} test prompts");

        var cost = table.Test.Select(r => llms.Select(l => EstimatedCost(prices[l], r.Text)).ToArray()).ToList();
        var performance = table.Test.Select(r => llms.Select(l => r.Scores.GetValueOrDefault(l)).ToArray()).ToList();
        var meanCost = cost.SelectMany(c => c).Average();
        var lambdas = LambdaGrid(1 / meanCost);

        var results = new List<QualityRouterResult>();
        foreach (var (name, fit) in Routers(table, encoder, seed, llms))
        {
            var watch = Stopwatch.StartNew();
            var predictor = fit();
            var fitSeconds = watch.Elapsed.TotalSeconds;
            var predicted = table.Test.Select(predictor.Predict).ToList();
            var routing = CostQualityMetrics.Sweep(strong, weak,
                predicted.Select(p => p[strongIndex] - p[weakIndex]).ToList(),
                performance.Select(p => p[strongIndex]).ToList(),
                performance.Select(p => p[weakIndex]).ToList());
            var top = predicted.Select((p, q) => performance[q][Array.IndexOf(p, p.Max())]).Average();
            results.Add(new QualityRouterResult
            {
                Router = name,
                FitSeconds = fitSeconds,
                TopChoiceQuality = top,
                Routing = routing,
                CostQuality = CostQualityMetrics.LambdaSweep(predicted, cost, performance, lambdas),
            });
            progress?.Report($"llmrouter-dc {name}: APGR {routing.Apgr:F3}, CPT(50%) {routing.Cpt50:F3}, CPT(80%) {routing.Cpt80:F3}, top-choice quality {top:F3} (fit {fitSeconds:F1} s)");
        }
        return results;
    }

    /// <summary>Estimated USD for one call: input tokens ~ characters / 4, plus <see cref="AssumedOutputTokens"/> output tokens.</summary>
    public static double EstimatedCost(LlmInfo llm, string prompt) =>
        ((prompt.Length / 4.0) * (llm.InputPricePerMillion ?? 0) + AssumedOutputTokens * (llm.OutputPricePerMillion ?? 0)) / 1e6;

    /// <summary>0, then 40 log-spaced values around <paramref name="scale"/> (1e-3 to 1e3 times it).</summary>
    public static IReadOnlyList<double> LambdaGrid(double scale) =>
        [0, .. Enumerable.Range(0, 41).Select(i => scale * Math.Pow(10, -3 + 6 * i / 40.0))];

    private static IEnumerable<(string Name, Func<IQualityPredictor> Fit)> Routers(QualityTable table, IQueryEncoder encoder, int seed, IReadOnlyList<string> llms)
    {
        yield return ("random", () => new RandomQualityPredictor(llms, seed));
        yield return ("oracle", () => new OracleQualityPredictor(llms));
        yield return ("knn", () => FitKnn(table, encoder, seed, llms));
        yield return ("mf-regression", () => new RegressionQualityPredictor(encoder, llms, table.Train, rank: 8, l2: 1e-3, epochs: 60, seed));
    }

    private static KnnQualityPredictor FitKnn(QualityTable table, IQueryEncoder encoder, int seed, IReadOnlyList<string> llms)
    {
        var tuning = table.Train.Where(r => EvaluationSplit.StableUnit(seed, "dc-tuning", r.Id) < TuningFraction).ToList();
        var fitting = table.Train.Where(r => EvaluationSplit.StableUnit(seed, "dc-tuning", r.Id) >= TuningFraction).ToList();
        var probe = new KnnQualityPredictor(encoder, llms, fitting, 10);
        int[] counts = [5, 10, 25, 50, 100];
        var quality = new double[counts.Length];
        foreach (var row in tuning)
        {
            var predictions = probe.PredictForEach(row, counts);
            for (var c = 0; c < counts.Length; c++)
            {
                var p = predictions[c];
                quality[c] += row.Scores.GetValueOrDefault(llms[Array.IndexOf(p, p.Max())]);
            }
        }
        var best = counts[Array.IndexOf(quality, quality.Max())];
        return new KnnQualityPredictor(encoder, llms, table.Train, best);
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == item)
            {
                return i;
            }
        }
        return -1;
    }
}
