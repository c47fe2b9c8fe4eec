using GraphRouter.Core.Featurization;
using GraphRouter.Evaluation.Harness;
using GraphRouter.Evaluation.Routers;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>kNN router over training prompts (global, no user); the neighbour count is chosen on the validation prompts.</summary>
public sealed class KnnTrainer(IQueryEncoder encoder, IReadOnlyList<int>? neighbourCounts = null) : IPreferenceModelTrainer
{
    public static IReadOnlyList<int> DefaultNeighbourCounts { get; } = [10, 25, 50, 100];

    public string Name => "knn";

    public IPreferenceModel Fit(EvaluationSplit split, int seed)
    {
        var llms = new LlmIndex(split.Data);
        var cache = new QueryFeatureCache(encoder);
        var byQuery = split.Train.GroupBy(i => i.QueryId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var vectors = new float[byQuery.Count][];
        var wins = new double[byQuery.Count][];
        var seen = new double[byQuery.Count][];
        var totalWins = new double[llms.Count];
        var totalSeen = new double[llms.Count];
        for (var i = 0; i < byQuery.Count; i++)
        {
            var v = (float[])cache.Get(split.Data, byQuery[i].Key).Clone();
            var norm = (float)Math.Sqrt(DenseMath.Dot(v, v));
            if (norm > 0)
            {
                for (var j = 0; j < v.Length; j++)
                {
                    v[j] /= norm;
                }
            }
            vectors[i] = v;
            wins[i] = new double[llms.Count];
            seen[i] = new double[llms.Count];
            foreach (var pair in byQuery[i].SelectMany(x => x.Pairs()))
            {
                int w = llms[pair.Winner], l = llms[pair.Loser];
                wins[i][w]++;
                seen[i][w]++;
                seen[i][l]++;
                totalWins[w]++;
                totalSeen[w]++;
                totalSeen[l]++;
            }
        }
        var globalRate = Enumerable.Range(0, llms.Count).Select(m => (totalWins[m] + 1) / (totalSeen[m] + 2)).ToArray();
        var counts = neighbourCounts ?? DefaultNeighbourCounts;
        KnnModel? best = null;
        var bestAccuracy = double.NegativeInfinity;
        foreach (var k in counts)
        {
            var model = new KnnModel(k, vectors, wins, seen, globalRate, llms, cache);
            var accuracy = PairCollector.ValidationAccuracy(model, split);
            if (accuracy > bestAccuracy)
            {
                bestAccuracy = accuracy;
                best = model;
            }
        }
        return best!;
    }
}
