using GraphRouter.Core.Datasets;
using GraphRouter.Core.Featurization;

namespace GraphRouter.Core.Tests.Featurization;

public sealed class QualityTableEncoderTests
{
    [Fact]
    public void A_quality_table_fit_predicts_held_out_quality_per_scored_llm()
    {
        var table = QualityTableReader.Load(BundledData.LlmRouterDc);

        var encoder = FittedQueryEncoder.Fit(table);

        Assert.Equal(table.ScoredLlms, encoder.Llms);
        Assert.Empty(encoder.Kinds);
        Assert.Empty(encoder.KindProbabilities("What is 2 + 2?"));
        Assert.Equal(table.ScoredLlms.Count + 2, encoder.Dimension);
        Assert.All(encoder.OutputNames.Take(table.ScoredLlms.Count), n => Assert.StartsWith("quality:", n));
        Assert.Equal(table.Train.Count, encoder.Report.TrainingPrompts);

        // The table's own test rows were never fitted on. Measured mean r ≈ 0.4.
        var predictions = table.Test.Select(r => encoder.PredictTargets(r.Text)).ToList();
        var r = encoder.Llms.Select((llm, m) =>
        {
            var rows = Enumerable.Range(0, table.Test.Count).Where(i => table.Test[i].Scores.ContainsKey(llm)).ToList();
            return FittedQueryEncoderTests.Pearson(rows.Select(i => table.Test[i].Scores[llm]), rows.Select(i => predictions[i][m]));
        }).ToList();
        Assert.True(r.Average() > 0.25, "quality r: " + string.Join(", ", r.Select(v => v.ToString("F2"))));
        Assert.All(r, v => Assert.True(v > 0, $"quality r {v:F2}"));
    }
}
