namespace GraphRouter.Evaluation.Metrics;

/// <summary>Standard errors for accuracies.</summary>
public static class StandardErrors
{
    /// <summary>Binomial standard error sqrt(p (1 - p) / n) of an accuracy <paramref name="p"/> over <paramref name="n"/> pairs.</summary>
    public static double Binomial(double p, int n) => n <= 0 || double.IsNaN(p) ? double.NaN : Math.Sqrt(p * (1 - p) / n);

    /// <summary>
    /// Bootstrap standard error of the pairwise accuracy, resampling whole users with replacement (a user's
    /// pairs are correlated, so this is wider and more honest than <see cref="Binomial"/>). Seeded.
    /// </summary>
    public static double UserBootstrap(IReadOnlyList<ScoredPair> pairs, int resamples, int seed)
    {
        var users = pairs.GroupBy(p => p.User, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Credit: g.Sum(p => p.Credit), Count: g.Count()))
            .ToArray();
        if (users.Length < 2 || resamples < 2)
        {
            return double.NaN;
        }
        var random = new Random(seed);
        var values = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            double credit = 0;
            long count = 0;
            for (var i = 0; i < users.Length; i++)
            {
                var u = users[random.Next(users.Length)];
                credit += u.Credit;
                count += u.Count;
            }
            values[r] = credit / count;
        }
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (resamples - 1));
    }
}
