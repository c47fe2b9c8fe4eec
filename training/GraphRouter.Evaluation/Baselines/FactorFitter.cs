namespace GraphRouter.Evaluation.Baselines;

/// <summary>
/// Full-batch Adam on the mean Bradley-Terry pair loss of the factor model, seeded. With a validation
/// callback, the weights are checked every <see cref="FactorSettings.ValidateEvery"/> epochs and the best
/// checkpoint is returned (early stopping).
/// </summary>
internal static class FactorFitter
{
    /// <param name="features">Per query index of <paramref name="pairs"/>, its text features (unused when QueryRank is 0).</param>
    public static FactorParameters Fit(TrainingPairs pairs, float[][] features, int llms, int featureDimension, FactorSettings settings, int seed,
        Func<FactorParameters, double>? validate = null)
    {
        FactorParameters? best = null;
        var bestScore = double.NegativeInfinity;
        var p = new FactorParameters(llms, settings.Rank, settings.QueryRank, settings.QueryRank > 0 ? featureDimension : 0, pairs.Users, settings.QueryDependentTaste && settings.QueryRank > 0);
        var random = new Random(seed);
        Initialize(p.ItemFactors, 0.1, random);
        Initialize(p.UserFactors, 0.1, random);
        Initialize(p.QueryWeights, 0.1, random);
        Initialize(p.ItemQueryFactors, 0.05, random);
        Initialize(p.Projection, 1.0 / Math.Sqrt(Math.Max(1, p.FeatureDimension)), random);

        var adamBias = new AdamOptimizer(p.Bias.Length, settings.LearningRate);
        var adamItem = new AdamOptimizer(p.ItemFactors.Length, settings.LearningRate);
        var adamUser = new AdamOptimizer(p.UserFactors.Length, settings.LearningRate);
        var adamWeights = new AdamOptimizer(p.QueryWeights.Length, settings.LearningRate);
        var adamProjection = new AdamOptimizer(p.Projection.Length, settings.LearningRate);
        var adamTaste = new AdamOptimizer(p.ItemQueryFactors.Length, settings.LearningRate);
        var gTaste = new float[p.ItemQueryFactors.Length];
        var t = p.TasteRank;
        var xw = new double[settings.Rank];
        var xl = new double[settings.Rank];
        var gBias = new float[p.Bias.Length];
        var gItem = new float[p.ItemFactors.Length];
        var gUser = new float[p.UserFactors.Length];
        var gWeights = new float[p.QueryWeights.Length];
        var gProjection = new float[p.Projection.Length];
        var queries = pairs.Queries.Length;
        var z = new float[queries][];
        var gz = new float[queries][];
        for (var q = 0; q < queries; q++)
        {
            z[q] = new float[p.QueryRank];
            gz[q] = new float[p.QueryRank];
        }
        var r = p.Rank;
        var d = p.QueryRank;
        var scale = 1f / Math.Max(1, pairs.Count);

        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            if (d > 0)
            {
                for (var q = 0; q < queries; q++)
                {
                    z[q] = p.Project(features[q]);
                    Array.Clear(gz[q]);
                }
            }
            Array.Clear(gBias);
            Array.Clear(gItem);
            Array.Clear(gUser);
            Array.Clear(gWeights);
            Array.Clear(gProjection);
            Array.Clear(gTaste);
            for (var i = 0; i < pairs.Count; i++)
            {
                int w = pairs.Winner[i], l = pairs.Loser[i], u = pairs.User[i], q = pairs.Query[i];
                double margin = p.Bias[w] - p.Bias[l];
                for (var k = 0; k < d; k++)
                {
                    margin += (p.QueryWeights[w * d + k] - p.QueryWeights[l * d + k]) * z[q][k];
                }
                if (r > 0)
                {
                    p.Item(w, z[q], xw);
                    p.Item(l, z[q], xl);
                }
                for (var k = 0; k < r; k++)
                {
                    margin += p.UserFactors[u * r + k] * (xw[k] - xl[k]);
                }
                var g = (float)(-(1 - DenseMath.Sigmoid(margin))) * scale;
                gBias[w] += g;
                gBias[l] -= g;
                for (var k = 0; k < d; k++)
                {
                    gWeights[w * d + k] += g * z[q][k];
                    gWeights[l * d + k] -= g * z[q][k];
                    gz[q][k] += g * (p.QueryWeights[w * d + k] - p.QueryWeights[l * d + k]);
                }
                for (var k = 0; k < r; k++)
                {
                    var uk = p.UserFactors[u * r + k];
                    gUser[u * r + k] += g * (float)(xw[k] - xl[k]);
                    gItem[w * r + k] += g * uk;
                    gItem[l * r + k] -= g * uk;
                    for (var j = 0; j < t; j++)
                    {
                        var rowW = (w * r + k) * t + j;
                        var rowL = (l * r + k) * t + j;
                        gTaste[rowW] += g * uk * z[q][j];
                        gTaste[rowL] -= g * uk * z[q][j];
                        gz[q][j] += g * uk * (p.ItemQueryFactors[rowW] - p.ItemQueryFactors[rowL]);
                    }
                }
            }
            if (d > 0)
            {
                for (var q = 0; q < queries; q++)
                {
                    for (var k = 0; k < d; k++)
                    {
                        if (gz[q][k] != 0)
                        {
                            DenseMath.Axpy(gz[q][k], features[q], gProjection.AsSpan(k * p.FeatureDimension, p.FeatureDimension));
                        }
                    }
                }
                adamWeights.Step(p.QueryWeights, gWeights, settings.QueryL2);
                adamProjection.Step(p.Projection, gProjection, settings.QueryL2);
                if (t > 0)
                {
                    adamTaste.Step(p.ItemQueryFactors, gTaste, settings.FactorL2);
                }
            }
            adamBias.Step(p.Bias, gBias);
            if (r > 0)
            {
                adamItem.Step(p.ItemFactors, gItem, settings.FactorL2);
                adamUser.Step(p.UserFactors, gUser, settings.FactorL2);
            }
            if (validate is not null && ((epoch + 1) % settings.ValidateEvery == 0 || epoch + 1 == settings.Epochs))
            {
                var score = validate(p);
                if (score > bestScore)
                {
                    bestScore = score;
                    best = p.Clone();
                }
            }
        }
        return best ?? p;
    }

    private static void Initialize(float[] values, double std, Random random)
    {
        for (var i = 0; i < values.Length; i++)
        {
            // Box-Muller: a standard normal from two uniforms.
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = (float)(std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    }
}
