using GraphRouter.Core.Datasets;

namespace GraphRouter.Core.Featurization;

/// <summary>
/// Means and deviations of answers' log length and log cost, fitted on training prompts' outcomes. Training
/// standardizes the realized answers of a history with them, and a policy carries them so that serving
/// standardizes stored responses the same way.
/// </summary>
public sealed record ResponseStatistics
{
    private const double MinCost = 1e-7;

    public required double LogLengthMean { get; init; }
    public required double LogLengthStd { get; init; }
    public required double LogCostMean { get; init; }
    public required double LogCostStd { get; init; }

    public float StandardLogLength(int characters) => (float)((Math.Log(1 + characters) - LogLengthMean) / LogLengthStd);

    public float StandardLogCost(double costUsd) => (float)((Math.Log(Math.Max(costUsd, MinCost)) - LogCostMean) / LogCostStd);

    public static ResponseStatistics Fit(PreferenceDataset data, IReadOnlySet<string> queries)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(queries);
        var outcomes = data.Outcomes.Where(o => queries.Contains(o.QueryId)).ToList();
        if (outcomes.Count == 0)
        {
            throw new ArgumentException("no outcomes on the given prompts", nameof(queries));
        }
        var lengths = outcomes.Select(o => Math.Log(1 + o.Response.Length)).ToArray();
        var costs = outcomes.Select(o => Math.Log(Math.Max(o.CostUsd, MinCost))).ToArray();
        return new ResponseStatistics
        {
            LogLengthMean = lengths.Average(),
            LogLengthStd = Std(lengths),
            LogCostMean = costs.Average(),
            LogCostStd = Std(costs),
        };
    }

    private static double Std(double[] values)
    {
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / values.Length;
        return Math.Max(Math.Sqrt(variance), 1e-6);
    }
}
