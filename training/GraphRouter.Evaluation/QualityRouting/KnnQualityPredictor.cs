using GraphRouter.Core.Datasets;
using GraphRouter.Core.Featurization;
using GraphRouter.Evaluation.Baselines;

namespace GraphRouter.Evaluation.QualityRouting;

/// <summary>kNN over training prompts: each LLM's predicted quality is its mean measured score on the nearest prompts (cosine).</summary>
internal sealed class KnnQualityPredictor : IQualityPredictor
{
    private readonly IQueryEncoder _encoder;
    private readonly IReadOnlyList<string> _llms;
    private readonly float[][] _vectors;
    private readonly double[][] _scores;

    public KnnQualityPredictor(IQueryEncoder encoder, IReadOnlyList<string> llms, IReadOnlyList<QualityRow> train, int neighbours)
    {
        _encoder = encoder;
        _llms = llms;
        Neighbours = neighbours;
        _vectors = train.Select(r => Normalized(encoder.Encode(r.Text))).ToArray();
        _scores = train.Select(r => llms.Select(l => r.Scores.TryGetValue(l, out var s) ? s : 0).ToArray()).ToArray();
    }

    public string Name => "knn";

    public int Neighbours { get; }

    public double[] Predict(QualityRow row) => PredictForEach(row, [Neighbours])[0];

    /// <summary>Predictions for several neighbour counts from one similarity pass (used to tune the count).</summary>
    public double[][] PredictForEach(QualityRow row, IReadOnlyList<int> neighbourCounts)
    {
        var x = Normalized(_encoder.Encode(row.Text));
        var sims = new double[_vectors.Length];
        for (var i = 0; i < sims.Length; i++)
        {
            sims[i] = DenseMath.Dot(_vectors[i], x);
        }
        var order = Enumerable.Range(0, sims.Length).OrderByDescending(i => sims[i]).ThenBy(i => i).Take(neighbourCounts.Max()).ToArray();
        var results = new double[neighbourCounts.Count][];
        for (var c = 0; c < neighbourCounts.Count; c++)
        {
            var taken = Math.Min(neighbourCounts[c], order.Length);
            var sum = new double[_llms.Count];
            for (var j = 0; j < taken; j++)
            {
                for (var m = 0; m < sum.Length; m++)
                {
                    sum[m] += _scores[order[j]][m];
                }
            }
            results[c] = sum.Select(v => v / Math.Max(1, taken)).ToArray();
        }
        return results;
    }

    private static float[] Normalized(float[] v)
    {
        var copy = (float[])v.Clone();
        var norm = (float)Math.Sqrt(DenseMath.Dot(copy, copy));
        if (norm > 0)
        {
            for (var i = 0; i < copy.Length; i++)
            {
                copy[i] /= norm;
            }
        }
        return copy;
    }
}
