using System.Numerics;

namespace GraphRouter.Core.Featurization;

/// <summary>The few dense linear-algebra kernels the fitted encoder needs: SIMD dot products, Gram matrices and Cholesky solves.</summary>
internal static class DenseMath
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var n = Math.Min(a.Length, b.Length);
        var i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            var acc0 = Vector<double>.Zero;
            var acc1 = Vector<double>.Zero;
            var w = Vector<double>.Count;
            for (; i + 2 * w <= n; i += 2 * w)
            {
                acc0 += new Vector<double>(a.Slice(i, w)) * new Vector<double>(b.Slice(i, w));
                acc1 += new Vector<double>(a.Slice(i + w, w)) * new Vector<double>(b.Slice(i + w, w));
            }
            sum = Vector.Sum(acc0 + acc1);
        }
        for (; i < n; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /// <summary><c>y += alpha * x</c>.</summary>
    public static void AddScaled(Span<double> y, double alpha, ReadOnlySpan<double> x)
    {
        var n = Math.Min(x.Length, y.Length);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = Vector<double>.Count;
            var va = new Vector<double>(alpha);
            for (; i + w <= n; i += w)
            {
                (new Vector<double>(y.Slice(i, w)) + va * new Vector<double>(x.Slice(i, w))).CopyTo(y.Slice(i, w));
            }
        }
        for (; i < n; i++)
        {
            y[i] += alpha * x[i];
        }
    }

    /// <summary>The Gram matrix <c>rows · rowsᵀ</c> of the selected rows (symmetric, both halves filled).</summary>
    public static double[][] RowGram(double[][] rows)
    {
        var n = rows.Length;
        var g = new double[n][];
        for (var i = 0; i < n; i++)
        {
            g[i] = new double[n];
            for (var j = 0; j <= i; j++)
            {
                g[i][j] = Dot(rows[i], rows[j]);
            }
        }
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                g[i][j] = g[j][i];
            }
        }
        return g;
    }

    /// <summary>The Gram matrix <c>rowsᵀ · rows</c> over columns (symmetric, both halves filled).</summary>
    public static double[][] ColumnGram(IReadOnlyList<double[]> rows, int columns)
    {
        var g = new double[columns][];
        for (var a = 0; a < columns; a++)
        {
            g[a] = new double[columns];
        }
        foreach (var row in rows)
        {
            for (var a = 0; a < columns; a++)
            {
                var v = row[a];
                if (v != 0)
                {
                    // Lower triangle only: g[a][0..a] += v * row[0..a].
                    AddScaled(g[a].AsSpan(0, a + 1), v, row.AsSpan(0, a + 1));
                }
            }
        }
        for (var a = 0; a < columns; a++)
        {
            for (var b = a + 1; b < columns; b++)
            {
                g[a][b] = g[b][a];
            }
        }
        return g;
    }

    /// <summary>
    /// The lower Cholesky factor L of <c>a + ridge·I</c> (rows, lower triangle used). Throws when the
    /// matrix is not positive definite.
    /// </summary>
    public static double[][] Cholesky(double[][] a, double ridge)
    {
        var n = a.Length;
        var l = new double[n][];
        for (var i = 0; i < n; i++)
        {
            l[i] = new double[i + 1];
            var li = l[i];
            for (var j = 0; j <= i; j++)
            {
                var s = a[i][j] - Dot(li.AsSpan(0, j), l[j].AsSpan(0, j));
                if (i == j)
                {
                    s += ridge;
                    if (!(s > 0))
                    {
                        throw new InvalidOperationException($"matrix is not positive definite (pivot {i}: {s})");
                    }
                    li[i] = Math.Sqrt(s);
                }
                else
                {
                    li[j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    /// <summary>Solves <c>L Lᵀ x = b</c> for every column of <paramref name="b"/> (rows × columns), in place.</summary>
    public static void CholeskySolve(double[][] l, double[][] b)
    {
        var n = l.Length;
        var m = n == 0 ? 0 : b[0].Length;
        // Forward: L y = b.
        for (var i = 0; i < n; i++)
        {
            var bi = b[i];
            for (var k = 0; k < i; k++)
            {
                AddScaled(bi, -l[i][k], b[k]);
            }
            var d = 1 / l[i][i];
            for (var c = 0; c < m; c++)
            {
                bi[c] *= d;
            }
        }
        // Backward: Lᵀ x = y.
        for (var i = n - 1; i >= 0; i--)
        {
            var bi = b[i];
            var d = 1 / l[i][i];
            for (var c = 0; c < m; c++)
            {
                bi[c] *= d;
            }
            for (var k = 0; k < i; k++)
            {
                AddScaled(b[k], -l[i][k], bi);
            }
        }
    }
}
