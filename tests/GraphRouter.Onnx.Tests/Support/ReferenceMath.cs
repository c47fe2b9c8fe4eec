namespace GraphRouter.Onnx.Tests.Support;

/// <summary>Plain loops in double precision: what each graph should compute, written independently of ONNX.</summary>
internal static class ReferenceMath
{
    /// <summary>[m, k] x [k, n], row-major.</summary>
    public static double[] MatMul(IReadOnlyList<double> a, int m, int k, IReadOnlyList<double> b, int n)
    {
        var result = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                for (var p = 0; p < k; p++)
                {
                    sum += a[(i * k) + p] * b[(p * n) + j];
                }

                result[(i * n) + j] = sum;
            }
        }

        return result;
    }

    /// <summary>x [m, in] times weight [out, in] transposed, plus bias [out]: a Linear layer.</summary>
    public static double[] Linear(IReadOnlyList<double> x, int m, int inputs, IReadOnlyList<float> weight, IReadOnlyList<float>? bias, int outputs)
    {
        var result = new double[m * outputs];
        for (var i = 0; i < m; i++)
        {
            for (var o = 0; o < outputs; o++)
            {
                var sum = bias is null ? 0.0 : bias[o];
                for (var p = 0; p < inputs; p++)
                {
                    sum += x[(i * inputs) + p] * weight[(o * inputs) + p];
                }

                result[(i * outputs) + o] = sum;
            }
        }

        return result;
    }

    /// <summary>
    /// erf by its everywhere-positive series, erf(x) = 2/sqrt(pi) e^(-x^2) sum_n 2^n x^(2n+1) / (2n+1)!!,
    /// which has no cancellation; beyond |x| = 6, erf is 1 to double precision.
    /// </summary>
    public static double Erf(double x)
    {
        if (Math.Abs(x) > 6)
        {
            return Math.Sign(x);
        }

        var term = x;
        var sum = x;
        for (var n = 1; n < 200; n++)
        {
            term *= 2 * x * x / ((2 * n) + 1);
            sum += term;
            if (Math.Abs(term) < 1e-17 * Math.Abs(sum))
            {
                break;
            }
        }

        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }

    public static double Gelu(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>Softmax of each row of a [rows, cols] matrix.</summary>
    public static double[] SoftmaxRows(IReadOnlyList<double> x, int rows, int cols)
    {
        var result = new double[rows * cols];
        for (var r = 0; r < rows; r++)
        {
            var max = double.NegativeInfinity;
            for (var c = 0; c < cols; c++)
            {
                max = Math.Max(max, x[(r * cols) + c]);
            }

            var sum = 0.0;
            for (var c = 0; c < cols; c++)
            {
                result[(r * cols) + c] = Math.Exp(x[(r * cols) + c] - max);
                sum += result[(r * cols) + c];
            }

            for (var c = 0; c < cols; c++)
            {
                result[(r * cols) + c] /= sum;
            }
        }

        return result;
    }

    /// <summary>LayerNorm over each row (biased variance, epsilon inside the square root).</summary>
    public static double[] LayerNormRows(IReadOnlyList<double> x, int rows, int cols, IReadOnlyList<float> scale, IReadOnlyList<float> bias, double epsilon)
    {
        var result = new double[rows * cols];
        for (var r = 0; r < rows; r++)
        {
            var mean = 0.0;
            for (var c = 0; c < cols; c++)
            {
                mean += x[(r * cols) + c];
            }

            mean /= cols;
            var variance = 0.0;
            for (var c = 0; c < cols; c++)
            {
                var d = x[(r * cols) + c] - mean;
                variance += d * d;
            }

            variance /= cols;
            var inverse = 1 / Math.Sqrt(variance + epsilon);
            for (var c = 0; c < cols; c++)
            {
                result[(r * cols) + c] = ((x[(r * cols) + c] - mean) * inverse * scale[c]) + bias[c];
            }
        }

        return result;
    }

    public static double[] ToDouble(IEnumerable<float> values) => [.. values.Select(v => (double)v)];
}
