namespace GraphRouter.Core.Featurization;

/// <summary>
/// A small multinomial logistic regression (C inputs → C classes, L2-penalized, full-batch gradient descent)
/// that turns the ridge model's out-of-fold class scores into calibrated probabilities.
/// </summary>
internal static class SoftmaxCalibrator
{
    /// <summary>Fits the C × (inputs + 1) weights (last column: bias), row-major.</summary>
    public static double[] Fit(double[][] inputs, int[] labels, int classes, double penalty = 1e-3, int iterations = 3000, double step = 0.5)
    {
        var n = inputs.Length;
        var d = inputs[0].Length + 1;
        var w = new double[classes * d];
        var grad = new double[w.Length];
        var p = new double[classes];
        for (var it = 0; it < iterations; it++)
        {
            Array.Clear(grad);
            for (var i = 0; i < n; i++)
            {
                Probabilities(w, inputs[i], classes, p);
                for (var c = 0; c < classes; c++)
                {
                    var e = p[c] - (labels[i] == c ? 1 : 0);
                    for (var a = 0; a < d - 1; a++)
                    {
                        grad[c * d + a] += e * inputs[i][a];
                    }
                    grad[c * d + d - 1] += e;
                }
            }
            for (var k = 0; k < w.Length; k++)
            {
                var reg = k % d == d - 1 ? 0 : penalty * w[k];
                w[k] -= step * (grad[k] / n + reg);
            }
        }
        return w;
    }

    /// <summary>Softmax probabilities of <paramref name="input"/> under weights <paramref name="w"/> into <paramref name="probabilities"/>.</summary>
    public static void Probabilities(ReadOnlySpan<double> w, ReadOnlySpan<double> input, int classes, Span<double> probabilities)
    {
        var d = input.Length + 1;
        var max = double.NegativeInfinity;
        for (var c = 0; c < classes; c++)
        {
            var z = w[c * d + d - 1];
            for (var a = 0; a < input.Length; a++)
            {
                z += w[c * d + a] * input[a];
            }
            probabilities[c] = z;
            max = Math.Max(max, z);
        }
        double sum = 0;
        for (var c = 0; c < classes; c++)
        {
            probabilities[c] = Math.Exp(probabilities[c] - max);
            sum += probabilities[c];
        }
        for (var c = 0; c < classes; c++)
        {
            probabilities[c] /= sum;
        }
    }
}
