using GraphRouter.Core.Datasets;
using GraphRouter.Core.Featurization;
using GraphRouter.Evaluation.Baselines;

namespace GraphRouter.Evaluation.QualityRouting;

/// <summary>
/// The matrix-factorization router as a regression (the quality table has scores, not pairs):
/// quality(q, m) = b_m + a_m·(P x_q), fitted by full-batch Adam on the squared error over the training prompts.
/// </summary>
internal sealed class RegressionQualityPredictor : IQualityPredictor
{
    private readonly IQueryEncoder _encoder;
    private readonly int _llms;
    private readonly int _rank;
    private readonly int _dimension;
    private readonly float[] _bias;
    private readonly float[] _weights;
    private readonly float[] _projection;

    public RegressionQualityPredictor(IQueryEncoder encoder, IReadOnlyList<string> llms, IReadOnlyList<QualityRow> train, int rank, double l2, int epochs, int seed)
    {
        _encoder = encoder;
        _llms = llms.Count;
        _rank = rank;
        _dimension = encoder.Dimension;
        _bias = new float[_llms];
        _weights = new float[_llms * rank];
        _projection = new float[rank * _dimension];
        var random = new Random(seed);
        for (var i = 0; i < _weights.Length; i++)
        {
            _weights[i] = (float)((random.NextDouble() - 0.5) * 0.2);
        }
        for (var i = 0; i < _projection.Length; i++)
        {
            _projection[i] = (float)((random.NextDouble() - 0.5) * 2 / Math.Sqrt(_dimension));
        }
        var x = train.Select(r => encoder.Encode(r.Text)).ToArray();
        var y = train.Select(r => llms.Select(l => r.Scores.TryGetValue(l, out var s) ? s : double.NaN).ToArray()).ToArray();
        for (var m = 0; m < _llms; m++)
        {
            _bias[m] = (float)y.Select(r => r[m]).Where(double.IsFinite).DefaultIfEmpty(0).Average();
        }
        var adamBias = new AdamOptimizer(_bias.Length, 0.02);
        var adamWeights = new AdamOptimizer(_weights.Length, 0.02);
        var adamProjection = new AdamOptimizer(_projection.Length, 0.02);
        var gBias = new float[_bias.Length];
        var gWeights = new float[_weights.Length];
        var gProjection = new float[_projection.Length];
        var gz = new float[rank];
        var scale = 1f / Math.Max(1, train.Count);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            Array.Clear(gBias);
            Array.Clear(gWeights);
            Array.Clear(gProjection);
            for (var q = 0; q < x.Length; q++)
            {
                var z = Project(x[q]);
                Array.Clear(gz);
                for (var m = 0; m < _llms; m++)
                {
                    if (!double.IsFinite(y[q][m]))
                    {
                        continue;
                    }
                    var g = (float)(Predict(m, z) - y[q][m]) * scale;
                    gBias[m] += g;
                    for (var k = 0; k < rank; k++)
                    {
                        gWeights[m * rank + k] += g * z[k];
                        gz[k] += g * _weights[m * rank + k];
                    }
                }
                for (var k = 0; k < rank; k++)
                {
                    DenseMath.Axpy(gz[k], x[q], gProjection.AsSpan(k * _dimension, _dimension));
                }
            }
            adamBias.Step(_bias, gBias);
            adamWeights.Step(_weights, gWeights, l2);
            adamProjection.Step(_projection, gProjection, l2);
        }
    }

    public string Name => "mf-regression";

    public double[] Predict(QualityRow row)
    {
        var z = Project(_encoder.Encode(row.Text));
        return Enumerable.Range(0, _llms).Select(m => Predict(m, z)).ToArray();
    }

    private double Predict(int m, float[] z)
    {
        double s = _bias[m];
        for (var k = 0; k < _rank; k++)
        {
            s += _weights[m * _rank + k] * z[k];
        }
        return s;
    }

    private float[] Project(float[] features)
    {
        var z = new float[_rank];
        for (var k = 0; k < _rank; k++)
        {
            z[k] = DenseMath.Dot(_projection.AsSpan(k * _dimension, _dimension), features);
        }
        return z;
    }
}
