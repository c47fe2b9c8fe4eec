using GraphRouter.Core.Datasets;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.QualityRouting;

/// <summary>The lower reference: a seeded hash per (prompt, LLM).</summary>
internal sealed class RandomQualityPredictor(IReadOnlyList<string> llms, int seed) : IQualityPredictor
{
    public string Name => "random";

    public double[] Predict(QualityRow row) => llms.Select(l => EvaluationSplit.StableUnit(seed, "random-quality", row.Id + "\u0001" + l)).ToArray();
}
