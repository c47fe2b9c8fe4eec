using GraphRouter.Core.Datasets;

namespace GraphRouter.Evaluation.QualityRouting;

/// <summary>The upper reference: reads the measured scores themselves.</summary>
internal sealed class OracleQualityPredictor(IReadOnlyList<string> llms) : IQualityPredictor
{
    public string Name => "oracle";

    public double[] Predict(QualityRow row) => llms.Select(l => row.Scores.TryGetValue(l, out var s) ? s : 0).ToArray();
}
