using GraphRouter.Core.Featurization;
using GraphRouter.Evaluation.Baselines;
using GraphRouter.Evaluation.Harness;
using GraphRouter.Evaluation.Reports;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.Tests.Harness;

public sealed class EvaluationHarnessTests
{
    private static readonly Lazy<EvaluationReport> SmallReport = new(() =>
    {
        var split = EvaluationSplit.Create(TestData.Slice(150), new SplitConfig());
        return EvaluationHarness.Run(split, [new RandomTrainer(), new GlobalBradleyTerryTrainer(), new PerUserBradleyTerryTrainer()],
            TestData.SmallQualityTable(400, 120), new EvaluationOptions { BootstrapResamples = 50 }, null, new HashedNgramEncoder(128));
    });

    [Fact]
    public void Every_router_is_scored_on_the_same_pairs_at_every_k()
    {
        var report = SmallReport.Value;
        Assert.Equal(["random", "global-bt", "per-user-bt"], report.Routers.Select(r => r.Router));
        var pairs = report.Routers[0].FewShot.Select(p => p.Pairs).ToList();
        Assert.All(report.Routers, r =>
        {
            Assert.Equal(new SplitConfig().FewShotKs, r.FewShot.Select(p => p.K));
            Assert.Equal(pairs, r.FewShot.Select(p => p.Pairs));
            Assert.All(r.FewShot, p => Assert.Equal(pairs[0], p.Pairs));
            Assert.True(r.KnownUserPairs > 0);
            Assert.NotNull(r.Routing);
            Assert.Equal("gpt-4-1106-preview", r.Routing!.Strong);
        });
        Assert.True(pairs[0] > 50);
    }

    [Fact]
    public void A_global_router_is_flat_in_k_and_per_user_bt_learns_from_history()
    {
        var report = SmallReport.Value;
        var global = report.Routers.Single(r => r.Router == "global-bt");
        Assert.Single(global.FewShot.Select(p => p.Accuracy).Distinct());
        var perUser = report.Routers.Single(r => r.Router == "per-user-bt");
        Assert.Equal(global.FewShot[0].Accuracy, perUser.FewShot[0].Accuracy, 12);
        Assert.True(perUser.FewShot[^1].Accuracy > perUser.FewShot[0].Accuracy);
    }

    [Fact]
    public void Quality_table_routers_are_reported_with_the_oracle_on_top()
    {
        var report = SmallReport.Value;
        Assert.Equal(["random", "oracle", "knn", "mf-regression"], report.QualityTable.Select(q => q.Router));
        var oracle = report.QualityTable.Single(q => q.Router == "oracle");
        Assert.All(report.QualityTable, q => Assert.True(oracle.TopChoiceQuality >= q.TopChoiceQuality));
        Assert.All(report.QualityTable, q => Assert.InRange(q.Routing.Points[^1].StrongShare, 1, 1));
    }

    [Fact]
    public void Report_writer_produces_json_markdown_and_non_empty_pngs()
    {
        var report = SmallReport.Value;
        var directory = Path.Combine(Path.GetTempPath(), "graphrouter-eval-test-" + Environment.ProcessId);
        try
        {
            var written = ReportWriter.Write(report, directory);
            foreach (var file in new[] { ReportWriter.JsonFile, ReportWriter.MarkdownFile, ReportPlots.FewShotFile, ReportPlots.UserAucFile, ReportPlots.CostQualityFile, ReportPlots.QualityTableFile, ReportPlots.RoutingFile })
            {
                var path = Path.Combine(directory, file);
                Assert.Contains(path, written);
                Assert.True(new FileInfo(path).Length > 1000, file);
            }
            foreach (var png in written.Where(p => p.EndsWith(".png", StringComparison.Ordinal)))
            {
                var head = File.ReadAllBytes(png).Take(8).ToArray();
                Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, head);
            }
            var markdown = File.ReadAllText(Path.Combine(directory, ReportWriter.MarkdownFile));
            Assert.Contains("| per-user-bt |", markdown);
            Assert.Contains("k=20", markdown);
            Assert.Contains("| oracle |", markdown);
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, ReportWriter.JsonFile)));
            Assert.Equal(3, json.RootElement.GetProperty("routers").GetArrayLength());
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }
}
