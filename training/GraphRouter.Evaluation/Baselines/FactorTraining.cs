using GraphRouter.Core.Featurization;
using GraphRouter.Evaluation.Harness;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>Fits factor models on a split's training pairs and picks settings and prior scale on the validation users.</summary>
internal static class FactorTraining
{
    public static FactorPreferenceModel FitBest(string name, EvaluationSplit split, IQueryEncoder encoder, IReadOnlyList<FactorSettings> grid,
        IReadOnlyList<double> priorScales, int seed, Action<string>? log = null)
    {
        var llms = new LlmIndex(split.Data);
        var pairs = TrainingPairs.From(split.Train, llms);
        var cache = new QueryFeatureCache(encoder);
        float[][]? features = null;
        FactorPreferenceModel? best = null;
        var bestAccuracy = double.NegativeInfinity;
        foreach (var settings in grid)
        {
            if (settings.QueryRank > 0)
            {
                features ??= pairs.Queries.Select(q => cache.Get(split.Data, q)).ToArray();
            }
            FactorPreferenceModel Build(FactorParameters p) =>
                new(name, p, UserFactorPrior.FromFactors(p.UserFactors, p.Rank), 1, llms, split.Data, cache, settings);
            var parameters = FactorFitter.Fit(pairs, features ?? [], llms.Count, encoder.Dimension, settings, seed,
                p => PairCollector.ValidationAccuracy(Build(p), split));
            var model = Build(parameters);
            foreach (var scale in settings.Rank == 0 ? [1.0] : priorScales)
            {
                var candidate = model.WithPriorScale(scale);
                var accuracy = PairCollector.ValidationAccuracy(candidate, split);
                log?.Invoke($"{name} {settings} priorScale={scale:g3}: validation accuracy {accuracy:F4}");
                if (accuracy > bestAccuracy)
                {
                    bestAccuracy = accuracy;
                    best = candidate;
                }
            }
        }
        return best!;
    }
}
