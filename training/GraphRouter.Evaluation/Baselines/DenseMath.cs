using System.Numerics;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>The small numeric kernels the baselines share: logistic functions, dot products, symmetric solves.</summary>
internal static class DenseMath
{
    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    /// <summary>log(1 + exp(x)), stable for large |x|.</summary>
    public static double Softplus(double x) => x > 30 ? x : x < -30 ? Math.Exp(x) : Math.Log(1 + Math.Exp(x));

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var i = 0;
        var acc = Vector<float>.Zero;
        for (; i + Vector<float>.Count <= a.Length; i += Vector<float>.Count)
        {
            acc += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        }
        var sum = Vector.Sum(acc);
        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /// <summary>y += alpha * x.</summary>
    public static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        var i = 0;
        var va = new Vector<float>(alpha);
        for (; i + Vector<float>.Count <= x.Length; i += Vector<float>.Count)
        {
            (new Vector<float>(y[i..]) + va * new Vector<float>(x[i..])).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++)
        {
            y[i] += alpha * x[i];
        }
    }

    /// <summary>Solves A x = b for a symmetric positive definite A (row-major n×n) by Cholesky; A and b are left unchanged.</summary>
    public static double[] SolveSpd(double[] a, double[] b, int n)
    {
        var l = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i * n + j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[i * n + k] * l[j * n + k];
                }
                if (i == j)
                {
                    l[i * n + i] = Math.Sqrt(Math.Max(sum, 1e-12));
                }
                else
                {
                    l[i * n + j] = sum / l[j * n + j];
                }
            }
        }
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= l[i * n + k] * y[k];
            }
            y[i] = sum / l[i * n + i];
        }
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= l[k * n + i] * x[k];
            }
            x[i] = sum / l[i * n + i];
        }
        return x;
    }

    /// <summary>The inverse of a symmetric positive definite matrix, column by column.</summary>
    public static double[] InverseSpd(double[] a, int n)
    {
        var inverse = new double[n * n];
        for (var c = 0; c < n; c++)
        {
            var e = new double[n];
            e[c] = 1;
            var column = SolveSpd(a, e, n);
            for (var r = 0; r < n; r++)
            {
                inverse[r * n + c] = column[r];
            }
        }
        return inverse;
    }
}
