using GraphRouter.Core.Domain;
using GraphRouter.Evaluation.Routers;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>
/// kNN over prompts: the <see cref="Neighbours"/> training prompts nearest by cosine of their text features;
/// each LLM's score is its win rate in those prompts' training pairs, smoothed towards its global win rate.
/// </summary>
internal sealed class KnnModel : IPreferenceModel
{
    private const double Smoothing = 2;
    private readonly float[][] _vectors;
    private readonly double[][] _wins;
    private readonly double[][] _seen;
    private readonly double[] _globalRate;
    private readonly LlmIndex _llms;
    private readonly QueryFeatureCache _features;
    private readonly Dictionary<string, double[]> _cache = new(StringComparer.Ordinal);

    public KnnModel(int neighbours, float[][] normalizedVectors, double[][] wins, double[][] seen, double[] globalRate, LlmIndex llms, QueryFeatureCache features)
    {
        Neighbours = neighbours;
        _vectors = normalizedVectors;
        _wins = wins;
        _seen = seen;
        _globalRate = globalRate;
        _llms = llms;
        _features = features;
    }

    public string Name => "knn";

    public int Neighbours { get; }

    public KnnModel WithNeighbours(int k) => new(k, _vectors, _wins, _seen, _globalRate, _llms, _features);

    public IUserState Observe(string userId, IReadOnlyList<Interaction> history) => new HistoryState(history.Count);

    public double[] Score(IUserState user, QueryInfo query, IReadOnlyList<string> llms)
    {
        if (!_cache.TryGetValue(query.Id, out var rates))
        {
            rates = Rates(_features.Get(query.Id, query.Text));
            _cache[query.Id] = rates;
        }
        return llms.Select(n => _llms.TryGet(n, out var m) ? rates[m] : 0).ToArray();
    }

    /// <summary>Cosine similarity of a (not necessarily normalized) vector to every training prompt.</summary>
    internal double[] Similarities(float[] features)
    {
        var norm = Math.Sqrt(DenseMath.Dot(features, features));
        var sims = new double[_vectors.Length];
        for (var i = 0; i < _vectors.Length; i++)
        {
            sims[i] = norm == 0 ? 0 : DenseMath.Dot(_vectors[i], features) / norm;
        }
        return sims;
    }

    private double[] Rates(float[] features)
    {
        var sims = Similarities(features);
        var order = Enumerable.Range(0, sims.Length).OrderByDescending(i => sims[i]).ThenBy(i => i).Take(Neighbours);
        var wins = new double[_llms.Count];
        var seen = new double[_llms.Count];
        foreach (var i in order)
        {
            for (var m = 0; m < wins.Length; m++)
            {
                wins[m] += _wins[i][m];
                seen[m] += _seen[i][m];
            }
        }
        return Enumerable.Range(0, wins.Length).Select(m => (wins[m] + Smoothing * _globalRate[m]) / (seen[m] + Smoothing)).ToArray();
    }
}
