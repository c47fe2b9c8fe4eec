using GraphRouter.Evaluation.Harness;
using GraphRouter.Evaluation.Routers;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>
/// Per-user Bradley-Terry: global strengths from training, then each user's strengths fitted on their
/// visible history with an L2 pull towards the global ones; the pull is chosen on the validation users.
/// </summary>
public sealed class PerUserBradleyTerryTrainer : IPreferenceModelTrainer
{
    private static readonly double[] Shrinkages = [0.25, 0.5, 1, 2, 4, 8];

    public string Name => "per-user-bt";

    public IPreferenceModel Fit(EvaluationSplit split, int seed)
    {
        var llms = new LlmIndex(split.Data);
        var global = GlobalBradleyTerryTrainer.FitStrengths(split, llms, 0.1);
        PerUserBradleyTerryModel? best = null;
        var bestAccuracy = double.NegativeInfinity;
        foreach (var shrinkage in Shrinkages)
        {
            var model = new PerUserBradleyTerryModel(llms, global, shrinkage);
            var accuracy = PairCollector.ValidationAccuracy(model, split);
            if (accuracy > bestAccuracy)
            {
                bestAccuracy = accuracy;
                best = model;
            }
        }
        return best!;
    }
}
