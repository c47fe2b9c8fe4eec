using ScottPlot;

namespace GraphRouter.Training.Training;

/// <summary>
/// A training run's per-epoch figures as PNGs (ScottPlot, like the evaluation report): resident memory, which
/// should stay flat once the first epochs have warmed the allocators up, and the loss beside the validation
/// accuracy early stopping selects on.
/// </summary>
public static class TrainingPlots
{
    public const string MemoryFile = "train-memory.png";
    public const string CurveFile = "train-curve.png";

    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> Write(IReadOnlyList<EpochReport> reports, string directory)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0)
        {
            throw new ArgumentException("no epochs to plot", nameof(reports));
        }
        Directory.CreateDirectory(directory);
        var epochs = reports.Select(r => (double)r.Epoch).ToArray();

        var memory = new Plot();
        var rss = memory.Add.Scatter(epochs, reports.Select(r => r.ResidentMegabytes).ToArray());
        rss.LegendText = "resident set size after the epoch";
        memory.Title("graphrouter-train: resident memory per epoch");
        memory.XLabel("epoch");
        memory.YLabel("RSS (MiB)");
        memory.Axes.SetLimitsY(0, reports.Max(r => r.ResidentMegabytes) * 1.15);
        memory.ShowLegend(Alignment.LowerRight);
        var memoryPath = Path.Combine(directory, MemoryFile);
        memory.SavePng(memoryPath, 1000, 600);

        var curve = new Plot();
        var loss = curve.Add.Scatter(epochs, reports.Select(r => r.Loss).ToArray());
        loss.LegendText = "training loss (mean over the epoch's steps)";
        var accuracy = curve.Add.Scatter(epochs, reports.Select(r => r.ValidationAccuracy).ToArray());
        accuracy.LegendText = "validation pairwise accuracy (early stopping)";
        curve.Title("graphrouter-train: loss and validation accuracy per epoch");
        curve.XLabel("epoch");
        curve.ShowLegend(Alignment.UpperRight);
        var curvePath = Path.Combine(directory, CurveFile);
        curve.SavePng(curvePath, 1000, 600);
        return [memoryPath, curvePath];
    }
}
