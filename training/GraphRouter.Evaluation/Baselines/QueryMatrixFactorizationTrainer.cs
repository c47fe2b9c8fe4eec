using GraphRouter.Core.Featurization;
using GraphRouter.Evaluation.Routers;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>
/// RouteLLM's matrix factorization router: s(q, m) = b_m + a_m·(P x_q), which is w·(v_m ⊙ P x_q) with w
/// folded into each LLM's vector, plus a per-LLM bias; trained with the Bradley-Terry loss on the training
/// pairs of every user (global: no user term). Query rank and L2 are chosen, and training stopped early, on the validation prompts.
/// </summary>
public sealed class QueryMatrixFactorizationTrainer(IQueryEncoder encoder, IReadOnlyList<FactorSettings>? grid = null, Action<string>? log = null) : IPreferenceModelTrainer
{
    public static IReadOnlyList<FactorSettings> DefaultGrid { get; } =
    [
        new() { Rank = 0, QueryRank = 4, QueryL2 = 1e-3, Epochs = 60, LearningRate = 0.02, ValidateEvery = 10 },
        new() { Rank = 0, QueryRank = 8, QueryL2 = 1e-3, Epochs = 120 },
    ];

    public string Name => "mf";

    public IPreferenceModel Fit(EvaluationSplit split, int seed) =>
        FactorTraining.FitBest(Name, split, encoder, grid ?? DefaultGrid, [1.0], seed, log);
}
