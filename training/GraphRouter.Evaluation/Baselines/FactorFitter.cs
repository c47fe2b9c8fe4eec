namespace GraphRouter.Evaluation.Baselines;

/// <summary>Full-batch Adam on the mean Bradley-Terry pair loss of the factor model, seeded.</summary>
internal static class FactorFitter
{
    /// <param name="features">Per query index of <paramref name="pairs"/>, its text features (unused when QueryRank is 0).</param>
    public static FactorParameters Fit(TrainingPairs pairs, float[][] features, int llms, int featureDimension, FactorSettings settings, int seed)
    {
        var p = new FactorParameters(llms, settings.Rank, settings.QueryRank, settings.QueryRank > 0 ? featureDimension : 0, pairs.Users);
        var random = new Random(seed);
        Initialize(p.ItemFactors, 0.1, random);
        Initialize(p.UserFactors, 0.1, random);
        Initialize(p.QueryWeights, 0.1, random);
        Initialize(p.Projection, 1.0 / Math.Sqrt(Math.Max(1, p.FeatureDimension)), random);

        var adamBias = new AdamOptimizer(p.Bias.Length, settings.LearningRate);
        var adamItem = new AdamOptimizer(p.ItemFactors.Length, settings.LearningRate);
        var adamUser = new AdamOptimizer(p.UserFactors.Length, settings.LearningRate);
        var adamWeights = new AdamOptimizer(p.QueryWeights.Length, settings.LearningRate);
        var adamProjection = new AdamOptimizer(p.Projection.Length, settings.LearningRate);
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
            for (var i = 0; i < pairs.Count; i++)
            {
                int w = pairs.Winner[i], l = pairs.Loser[i], u = pairs.User[i], q = pairs.Query[i];
                double margin = p.Bias[w] - p.Bias[l];
                for (var k = 0; k < d; k++)
                {
                    margin += (p.QueryWeights[w * d + k] - p.QueryWeights[l * d + k]) * z[q][k];
                }
                for (var k = 0; k < r; k++)
                {
                    margin += p.UserFactors[u * r + k] * (p.ItemFactors[w * r + k] - p.ItemFactors[l * r + k]);
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
                    gUser[u * r + k] += g * (p.ItemFactors[w * r + k] - p.ItemFactors[l * r + k]);
                    gItem[w * r + k] += g * uk;
                    gItem[l * r + k] -= g * uk;
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
            }
            adamBias.Step(p.Bias, gBias);
            if (r > 0)
            {
                adamItem.Step(p.ItemFactors, gItem, settings.FactorL2);
                adamUser.Step(p.UserFactors, gUser, settings.FactorL2);
            }
        }
        return p;
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
