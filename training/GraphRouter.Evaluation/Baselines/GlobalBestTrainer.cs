using GraphRouter.Evaluation.Routers;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>
/// The single globally best model: LLMs ranked by their win rate over the training pairs (wins / pairs they
/// appear in), so the top one is always chosen and the rest fall in the same order.
/// </summary>
public sealed class GlobalBestTrainer : IPreferenceModelTrainer
{
    public string Name => "global-best";

    public IPreferenceModel Fit(EvaluationSplit split, int seed)
    {
        var wins = new Dictionary<string, double>(StringComparer.Ordinal);
        var seen = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var llm in split.Data.Llms)
        {
            wins[llm.Name] = 0;
            seen[llm.Name] = 0;
        }
        foreach (var pair in split.Train.SelectMany(i => i.Pairs()))
        {
            wins[pair.Winner]++;
            seen[pair.Winner]++;
            seen[pair.Loser]++;
        }
        // Laplace smoothing keeps a model that never appeared at 0.5 instead of 0/0.
        var rates = wins.ToDictionary(kv => kv.Key, kv => (kv.Value + 1) / (seen[kv.Key] + 2), StringComparer.Ordinal);
        return new StaticScoreModel(Name, rates);
    }
}
