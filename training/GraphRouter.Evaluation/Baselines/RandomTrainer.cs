using GraphRouter.Evaluation.Routers;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>The floor: seeded random scores.</summary>
public sealed class RandomTrainer : IPreferenceModelTrainer
{
    public string Name => "random";

    public IPreferenceModel Fit(EvaluationSplit split, int seed) => new RandomModel(seed);
}
