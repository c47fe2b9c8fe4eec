using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GraphRouter.Evaluation.Harness;

namespace GraphRouter.Evaluation.Reports;

/// <summary>Writes (invariant culture: the build sets InvariantGlobalization) an <see cref="EvaluationReport"/> as <c>results.json</c>, <c>results.md</c> (tables a README can quote) and PNG plots.</summary>
public static class ReportWriter
{
    public const string JsonFile = "results.json";
    public const string MarkdownFile = "results.md";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes every output into <paramref name="directory"/> (created if missing); returns the paths written.</summary>
    public static IReadOnlyList<string> Write(EvaluationReport report, string directory, IProgress<string>? progress = null)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        var json = Path.Combine(directory, JsonFile);
        File.WriteAllText(json, JsonSerializer.Serialize(report, JsonOptions));
        written.Add(json);
        var markdown = Path.Combine(directory, MarkdownFile);
        File.WriteAllText(markdown, Markdown(report));
        written.Add(markdown);
        written.AddRange(ReportPlots.WriteAll(report, directory));
        foreach (var path in written)
        {
            progress?.Report($"wrote {path}");
        }
        return written;
    }

    /// <summary>The Markdown tables: routers as rows, metrics as columns; the few-shot curve; the quality-table routers.</summary>
    public static string Markdown(EvaluationReport report)
    {
        var k = report.Options.HeadlineK;
        var s = report.Split;
        var sb = new StringBuilder();
        sb.AppendLine(($"### {report.Dataset}: held-out users and prompts (split seed {s.Seed})"));
        sb.AppendLine();
        sb.AppendLine(($"Training: {s.TrainInteractions} interactions ({s.TrainPairs} non-tied pairs) of {s.KnownUsers} known users on {s.TrainQueries} prompts. "
            + $"New users: {s.NewUsers}, scored on test prompts ({s.TestQueries}) never seen in training; validation: {s.ValidationUsers} users, {s.ValidationQueries} prompts. "
            + $"Accuracy counts a predicted tie as 0.5; ± is a user-level bootstrap standard error."));
        sb.AppendLine();
        sb.AppendLine(($"| router | new users acc@{k} | AUC@{k} | mean user AUC@{k} | known users acc | known AUC | APGR | CPT(50%) | CPT(80%) | fit s | eval s |"));
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in report.Routers)
        {
            sb.AppendLine(($"| {r.Router} | {F(r.Accuracy)} ± {F(r.AccuracyStandardError)} | {F(r.Auc)} | {F(r.MeanUserAuc)} | {F(r.KnownUserAccuracy)} ± {F(r.KnownUserStandardError)} | {F(r.KnownUserAuc)} | "
                + $"{F(r.Routing?.Apgr, 3)} | {F(r.Routing?.Cpt50, 3)} | {F(r.Routing?.Cpt80, 3)} | {r.FitSeconds:F1} | {r.EvalSeconds:F1} |"));
        }
        var first = report.Routers.Count > 0 ? report.Routers[0] : null;
        if (first is not null)
        {
            sb.AppendLine();
            sb.AppendLine(($"Pairs scored: {first.Pairs} (new users, each k), {first.KnownUserPairs} (known users). "
                + (first.Routing is { } rt ? $"APGR/CPT: strong {rt.Strong} vs weak {rt.Weak} on the test prompts, by cold-start (k = 0) scores, performance = correctness ({F(rt.WeakPerformance, 3)} to {F(rt.StrongPerformance, 3)})." : "")));
            sb.AppendLine();
            sb.AppendLine("#### Few-shot curve: new users, pairwise accuracy after k interactions (same target pairs for every k)");
            sb.AppendLine();
            sb.AppendLine("| router | " + string.Join(" | ", first.FewShot.Select(p => ($"k={p.K}"))) + " |");
            sb.AppendLine("| --- |" + string.Concat(first.FewShot.Select(_ => " --- |")));
            foreach (var r in report.Routers)
            {
                sb.AppendLine($"| {r.Router} | " + string.Join(" | ", r.FewShot.Select(p => ($"{F(p.Accuracy)} ± {F(p.StandardError, 3)}"))) + " |");
            }
        }
        if (report.QualityTable.Count > 0)
        {
            var rt = report.QualityTable[0].Routing;
            sb.AppendLine();
            sb.AppendLine(($"#### llmrouter-dc: cost-quality routing on its test prompts (global routers, encoder {report.QualityTableEncoder})"));
            sb.AppendLine();
            sb.AppendLine(($"Strong {rt.Strong} (mean score {F(rt.StrongPerformance, 3)}) vs weak {rt.Weak} ({F(rt.WeakPerformance, 3)}); top choice = mean score of each router's predicted best model."));
            sb.AppendLine();
            sb.AppendLine("| router | APGR | CPT(50%) | CPT(80%) | top-choice quality | fit s |");
            sb.AppendLine("| --- | --- | --- | --- | --- | --- |");
            foreach (var q in report.QualityTable)
            {
                sb.AppendLine(($"| {q.Router} | {F(q.Routing.Apgr, 3)} | {F(q.Routing.Cpt50, 3)} | {F(q.Routing.Cpt80, 3)} | {F(q.TopChoiceQuality, 3)} | {q.FitSeconds:F1} |"));
            }
        }
        return sb.ToString();
    }

    private static string F(double? value, int digits = 4) =>
        value is not { } v ? "–" : double.IsNaN(v) ? "n/a" : v.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

}
