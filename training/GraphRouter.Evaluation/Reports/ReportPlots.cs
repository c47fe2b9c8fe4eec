using GraphRouter.Evaluation.Harness;
using GraphRouter.Evaluation.Metrics;
using ScottPlot;

namespace GraphRouter.Evaluation.Reports;

/// <summary>The report's PNG plots (ScottPlot): few-shot curve, per-user AUC boxes, cost-quality curves.</summary>
public static class ReportPlots
{
    public const string FewShotFile = "few-shot.png";
    public const string UserAucFile = "user-auc.png";
    public const string CostQualityFile = "cost-quality-routerbench.png";
    public const string QualityTableFile = "cost-quality-llmrouter-dc.png";
    public const string RoutingFile = "pgr-routerbench.png";

    public static IReadOnlyList<string> WriteAll(EvaluationReport report, string directory)
    {
        var written = new List<string>
        {
            FewShot(report, Path.Combine(directory, FewShotFile)),
            UserAuc(report, Path.Combine(directory, UserAucFile)),
        };
        var withCurves = report.Routers.Where(r => r.CostQuality is not null).ToList();
        if (withCurves.Count > 0)
        {
            written.Add(CostQuality(
                withCurves.Select(r => (r.Router, r.CostQuality!)).ToList(),
                $"{report.Dataset}: test prompts, cold-start routing (utility = score - lambda * cost)",
                "correctness of the chosen response", Path.Combine(directory, CostQualityFile)));
            written.Add(Routing(withCurves.Where(r => r.Routing is not null).Select(r => (r.Router, r.Routing!)).ToList(), Path.Combine(directory, RoutingFile)));
        }
        if (report.QualityTable.Count > 0)
        {
            written.Add(CostQuality(
                report.QualityTable.Select(q => (q.Router, q.CostQuality)).ToList(),
                "llmrouter-dc: test prompts (utility = predicted quality - lambda * cost)",
                "mean measured score", Path.Combine(directory, QualityTableFile)));
        }
        return written;
    }

    private static string FewShot(EvaluationReport report, string path)
    {
        var plot = new Plot();
        foreach (var r in report.Routers)
        {
            var xs = r.FewShot.Select(p => (double)p.K).ToArray();
            var ys = r.FewShot.Select(p => p.Accuracy).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = r.Router;
            line.MarkerSize = 6;
        }
        plot.Title($"{report.Dataset}: new users, pairwise accuracy after k interactions");
        plot.XLabel("k (visible interactions of the new user)");
        plot.YLabel("pairwise accuracy (held-out pairs)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1000, 650);
        return path;
    }

    private static string UserAuc(EvaluationReport report, string path)
    {
        var plot = new Plot();
        var positions = new List<double>();
        var labels = new List<string>();
        for (var i = 0; i < report.Routers.Count; i++)
        {
            var values = report.Routers[i].UserAuc.Values.Order().ToArray();
            positions.Add(i);
            labels.Add(report.Routers[i].Router);
            if (values.Length == 0)
            {
                continue;
            }
            plot.Add.Box(new Box
            {
                Position = i,
                WhiskerMin = Quantile(values, 0.05),
                BoxMin = Quantile(values, 0.25),
                BoxMiddle = Quantile(values, 0.5),
                BoxMax = Quantile(values, 0.75),
                WhiskerMax = Quantile(values, 0.95),
            });
        }
        plot.Axes.Bottom.SetTicks([.. positions], [.. labels]);
        plot.Title($"{report.Dataset}: per-user AUC of new users at k = {report.Options.HeadlineK} (box: quartiles, whiskers: 5-95%)");
        plot.YLabel("AUC per user");
        plot.SavePng(path, 1200, 650);
        return path;
    }

    private static string CostQuality(IReadOnlyList<(string Name, IReadOnlyList<CostQualityPoint> Points)> curves, string title, string yLabel, string path)
    {
        var plot = new Plot();
        foreach (var (name, points) in curves)
        {
            var ordered = points.OrderBy(p => p.MeanCostUsd).ToArray();
            var line = plot.Add.Scatter(ordered.Select(p => p.MeanCostUsd).ToArray(), ordered.Select(p => p.Performance).ToArray());
            line.LegendText = name;
            line.MarkerSize = 4;
        }
        plot.Title(title);
        plot.XLabel("mean cost per call (USD)");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1000, 650);
        return path;
    }

    private static string Routing(IReadOnlyList<(string Name, RoutingCurve Curve)> curves, string path)
    {
        var plot = new Plot();
        foreach (var (name, curve) in curves)
        {
            var line = plot.Add.Scatter(curve.Points.Select(p => p.StrongShare).ToArray(), curve.Points.Select(p => p.Pgr).ToArray());
            line.LegendText = $"{name} (APGR {curve.Apgr:F3})";
            line.MarkerSize = 0;
        }
        var c = curves.Count > 0 ? curves[0].Curve : null;
        plot.Title(c is null ? "PGR" : $"PGR: {c.Strong} vs {c.Weak}");
        plot.XLabel("share of calls to the strong model");
        plot.YLabel("performance gap recovered");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1000, 650);
        return path;
    }

    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(sorted.Length - 1, lo + 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }
}
