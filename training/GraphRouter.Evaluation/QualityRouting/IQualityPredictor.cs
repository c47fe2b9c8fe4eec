using GraphRouter.Core.Datasets;

namespace GraphRouter.Evaluation.QualityRouting;

/// <summary>A global router over a quality table: predicts each scored LLM's quality on a prompt (order of <see cref="QualityTable.ScoredLlms"/>).</summary>
public interface IQualityPredictor
{
    string Name { get; }

    double[] Predict(QualityRow row);
}
