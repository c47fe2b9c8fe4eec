namespace GraphRouter.Evaluation.Baselines;

/// <summary>The Gaussian prior N(mean, covariance) over user factors, learned from the training users' factors.</summary>
internal sealed class UserFactorPrior
{
    private UserFactorPrior(double[] mean, double[] covariance, int rank)
    {
        Mean = mean;
        Covariance = covariance;
        Rank = rank;
        Precision = rank == 0 ? [] : DenseMath.InverseSpd(covariance, rank);
    }

    public double[] Mean { get; }
    public double[] Covariance { get; }
    public double[] Precision { get; }
    public int Rank { get; }

    /// <summary>Sample mean and covariance of the rows of <paramref name="factors"/> (n × rank), plus a small ridge so it inverts.</summary>
    public static UserFactorPrior FromFactors(float[] factors, int rank)
    {
        var n = rank == 0 ? 0 : factors.Length / rank;
        var mean = new double[rank];
        var covariance = new double[rank * rank];
        if (n == 0)
        {
            for (var k = 0; k < rank; k++)
            {
                covariance[k * rank + k] = 1;
            }
            return new UserFactorPrior(mean, covariance, rank);
        }
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < rank; k++)
            {
                mean[k] += factors[i * rank + k] / (double)n;
            }
        }
        for (var i = 0; i < n; i++)
        {
            for (var a = 0; a < rank; a++)
            {
                for (var b = 0; b < rank; b++)
                {
                    covariance[a * rank + b] += (factors[i * rank + a] - mean[a]) * (factors[i * rank + b] - mean[b]) / Math.Max(1, n - 1);
                }
            }
        }
        var ridge = 1e-4 + 1e-3 * Enumerable.Range(0, rank).Average(k => covariance[k * rank + k]);
        for (var k = 0; k < rank; k++)
        {
            covariance[k * rank + k] += ridge;
        }
        return new UserFactorPrior(mean, covariance, rank);
    }
}
