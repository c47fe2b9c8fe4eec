using GraphRouter.Evaluation.Routers;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>Global Bradley-Terry (Elo-style): one strength per LLM, the L2-regularized MLE over every training pair.</summary>
public sealed class GlobalBradleyTerryTrainer(double l2 = 0.1) : IPreferenceModelTrainer
{
    public string Name => "global-bt";

    public IPreferenceModel Fit(EvaluationSplit split, int seed)
    {
        var llms = new LlmIndex(split.Data);
        var strengths = FitStrengths(split, llms, l2);
        return new StaticScoreModel(Name, llms.Names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => strengths[x.i], StringComparer.Ordinal));
    }

    internal static double[] FitStrengths(EvaluationSplit split, LlmIndex llms, double l2)
    {
        var pairs = split.Train.SelectMany(i => i.Pairs()).Select(p => (llms[p.Winner], llms[p.Loser])).ToList();
        return BradleyTerrySolver.Fit(llms.Count, pairs, new double[llms.Count], l2);
    }
}
