using GraphRouter.Evaluation.Routers;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>
/// The smallest (cheapest) or the largest (most expensive) model: LLMs ranked by their mean cost per
/// response (routerbench <c>costUsd</c>) over the training prompts, cheapest or dearest first.
/// </summary>
public sealed class CostRankTrainer : IPreferenceModelTrainer
{
    private readonly bool _preferExpensive;

    private CostRankTrainer(bool preferExpensive) => _preferExpensive = preferExpensive;

    public static CostRankTrainer Smallest { get; } = new(false);

    public static CostRankTrainer Largest { get; } = new(true);

    public string Name => _preferExpensive ? "largest" : "smallest";

    public IPreferenceModel Fit(EvaluationSplit split, int seed)
    {
        var scores = split.Data.Outcomes
            .Where(o => split.TrainQueries.Contains(o.QueryId))
            .GroupBy(o => o.Llm, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (_preferExpensive ? 1 : -1) * g.Average(o => o.CostUsd), StringComparer.Ordinal);
        return new StaticScoreModel(Name, scores);
    }
}
