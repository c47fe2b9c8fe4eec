namespace GraphRouter.Core.Featurization;

/// <summary>
/// Multi-output ridge regression with an unpenalized intercept, solved in closed form by Cholesky, in the
/// dual (n × n) when there are fewer rows than columns and in the primal (p × p) otherwise. Each output
/// gets its own penalty, the one of <c>lambdas</c> with the smallest out-of-fold squared error.
/// </summary>
internal sealed class RidgeRegression
{
    private RidgeRegression(double[][] weights, double[] intercept, double[] lambdas, double[][] outOfFold, double[] outOfFoldR2)
    {
        Weights = weights;
        Intercept = intercept;
        Lambdas = lambdas;
        OutOfFold = outOfFold;
        OutOfFoldR2 = outOfFoldR2;
    }

    /// <summary>p × t: the weight of input column a for output c is <c>Weights[a][c]</c>.</summary>
    public double[][] Weights { get; }
    public double[] Intercept { get; }
    /// <summary>The penalty chosen for each output.</summary>
    public double[] Lambdas { get; }
    /// <summary>n × t: each row's prediction by the model fitted without its fold, at the chosen penalty.</summary>
    public double[][] OutOfFold { get; }
    public double[] OutOfFoldR2 { get; }

    /// <param name="x">n rows of p inputs, already centered (the intercept is the targets' mean).</param>
    /// <param name="y">n rows of t targets.</param>
    /// <param name="fold">each row's fold in [0, folds).</param>
    public static RidgeRegression Fit(double[][] x, double[][] y, int[] fold, int folds, IReadOnlyList<double> lambdas)
    {
        var n = x.Length;
        var t = y[0].Length;
        var dual = n <= x[0].Length;
        var oofByLambda = new double[lambdas.Count][][];
        for (var l = 0; l < lambdas.Count; l++)
        {
            oofByLambda[l] = new double[n][];
        }
        var gram = dual ? DenseMath.RowGram(x) : DenseMath.ColumnGram(x, x[0].Length);
        for (var f = 0; f < folds; f++)
        {
            var train = Enumerable.Range(0, n).Where(i => fold[i] != f).ToArray();
            var held = Enumerable.Range(0, n).Where(i => fold[i] == f).ToArray();
            if (held.Length == 0 || train.Length == 0)
            {
                continue;
            }
            var mean = ColumnMeans(y, train);
            if (dual)
            {
                var k = train.Select(i => train.Select(j => gram[i][j]).ToArray()).ToArray();
                var centered = train.Select(i => Centered(y[i], mean)).ToArray();
                for (var l = 0; l < lambdas.Count; l++)
                {
                    var alpha = centered.Select(r => (double[])r.Clone()).ToArray();
                    DenseMath.CholeskySolve(DenseMath.Cholesky(k, lambdas[l]), alpha);
                    foreach (var h in held)
                    {
                        var p = (double[])mean.Clone();
                        for (var a = 0; a < train.Length; a++)
                        {
                            DenseMath.AddScaled(p, gram[h][train[a]], alpha[a]);
                        }
                        oofByLambda[l][h] = p;
                    }
                }
            }
            else
            {
                var g = gram.Select(r => (double[])r.Clone()).ToArray();
                var heldGram = DenseMath.ColumnGram(held.Select(i => x[i]).ToList(), x[0].Length);
                for (var a = 0; a < g.Length; a++)
                {
                    DenseMath.AddScaled(g[a], -1, heldGram[a]);
                }
                var projected = Project(x, y, train, mean);
                for (var l = 0; l < lambdas.Count; l++)
                {
                    var w = projected.Select(r => (double[])r.Clone()).ToArray();
                    DenseMath.CholeskySolve(DenseMath.Cholesky(g, lambdas[l]), w);
                    foreach (var h in held)
                    {
                        oofByLambda[l][h] = Predict(x[h], w, mean);
                    }
                }
            }
        }

        // Per output, the penalty with the smallest out-of-fold error.
        var chosen = new int[t];
        var total = new double[t];
        var overall = ColumnMeans(y, Enumerable.Range(0, n).ToArray());
        for (var c = 0; c < t; c++)
        {
            var best = double.PositiveInfinity;
            for (var l = 0; l < lambdas.Count; l++)
            {
                double sse = 0;
                for (var i = 0; i < n; i++)
                {
                    var d = oofByLambda[l][i] is { } p ? p[c] - y[i][c] : y[i][c] - overall[c];
                    sse += d * d;
                }
                if (l == 0 || sse < best * (1 - 1e-12))
                {
                    best = sse;
                    chosen[c] = l;
                }
            }
            for (var i = 0; i < n; i++)
            {
                var d = y[i][c] - overall[c];
                total[c] += d * d;
            }
        }
        var oof = new double[n][];
        var r2 = new double[t];
        for (var i = 0; i < n; i++)
        {
            oof[i] = new double[t];
            for (var c = 0; c < t; c++)
            {
                oof[i][c] = oofByLambda[chosen[c]][i] is { } p ? p[c] : overall[c];
                var d = oof[i][c] - y[i][c];
                r2[c] += d * d;
            }
        }
        for (var c = 0; c < t; c++)
        {
            r2[c] = total[c] > 0 ? 1 - r2[c] / total[c] : 0;
        }

        // Refit on every row, once per distinct chosen penalty.
        var all = Enumerable.Range(0, n).ToArray();
        var weights = new double[x[0].Length][];
        for (var a = 0; a < weights.Length; a++)
        {
            weights[a] = new double[t];
        }
        foreach (var l in chosen.Distinct())
        {
            double[][] w;
            if (dual)
            {
                var alpha = all.Select(i => Centered(y[i], overall)).ToArray();
                DenseMath.CholeskySolve(DenseMath.Cholesky(gram, lambdas[l]), alpha);
                w = new double[x[0].Length][];
                for (var a = 0; a < w.Length; a++)
                {
                    w[a] = new double[t];
                }
                for (var i = 0; i < n; i++)
                {
                    for (var a = 0; a < w.Length; a++)
                    {
                        if (x[i][a] != 0)
                        {
                            DenseMath.AddScaled(w[a], x[i][a], alpha[i]);
                        }
                    }
                }
            }
            else
            {
                w = Project(x, y, all, overall);
                DenseMath.CholeskySolve(DenseMath.Cholesky(gram, lambdas[l]), w);
            }
            for (var c = 0; c < t; c++)
            {
                if (chosen[c] == l)
                {
                    for (var a = 0; a < weights.Length; a++)
                    {
                        weights[a][c] = w[a][c];
                    }
                }
            }
        }
        return new RidgeRegression(weights, overall, chosen.Select(l => lambdas[l]).ToArray(), oof, r2);
    }

    private static double[] Predict(double[] row, double[][] w, double[] mean)
    {
        var p = (double[])mean.Clone();
        for (var a = 0; a < row.Length; a++)
        {
            if (row[a] != 0)
            {
                DenseMath.AddScaled(p, row[a], w[a]);
            }
        }
        return p;
    }

    /// <summary><c>Xᵀ (Y - mean)</c> over the given rows: p × t.</summary>
    private static double[][] Project(double[][] x, double[][] y, int[] rows, double[] mean)
    {
        var p = x[0].Length;
        var w = new double[p][];
        for (var a = 0; a < p; a++)
        {
            w[a] = new double[mean.Length];
        }
        foreach (var i in rows)
        {
            var centered = Centered(y[i], mean);
            for (var a = 0; a < p; a++)
            {
                if (x[i][a] != 0)
                {
                    DenseMath.AddScaled(w[a], x[i][a], centered);
                }
            }
        }
        return w;
    }

    private static double[] Centered(double[] row, double[] mean)
    {
        var c = new double[row.Length];
        for (var j = 0; j < row.Length; j++)
        {
            c[j] = row[j] - mean[j];
        }
        return c;
    }

    private static double[] ColumnMeans(double[][] y, int[] rows)
    {
        var mean = new double[y[0].Length];
        foreach (var i in rows)
        {
            DenseMath.AddScaled(mean, 1, y[i]);
        }
        for (var c = 0; c < mean.Length; c++)
        {
            mean[c] /= Math.Max(1, rows.Length);
        }
        return mean;
    }
}
