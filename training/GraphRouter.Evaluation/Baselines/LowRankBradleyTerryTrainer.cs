using GraphRouter.Core.Featurization;
using GraphRouter.Evaluation.Routers;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>
/// Low-rank personalized Bradley-Terry: s = b_m + a_m·(P x_q) + u·v_m, user and LLM factors learned by
/// gradient descent on the training users; a user's u is then fitted from their visible interactions by MAP
/// under a Gaussian prior whose mean and covariance come from the training users' factors. Rank, L2, the
/// query term and the prior's strength are chosen on the validation users.
/// </summary>
public sealed class LowRankBradleyTerryTrainer(IQueryEncoder encoder, IReadOnlyList<FactorSettings>? grid = null, Action<string>? log = null) : IPreferenceModelTrainer
{
    public static IReadOnlyList<FactorSettings> DefaultGrid { get; } =
    [
        new() { Rank = 4, QueryRank = 0, FactorL2 = 1e-3 },
        new() { Rank = 8, QueryRank = 0, FactorL2 = 1e-3 },
        new() { Rank = 8, QueryRank = 8, FactorL2 = 1e-3, QueryL2 = 1e-3 },
        new() { Rank = 4, QueryRank = 4, FactorL2 = 1e-3, QueryL2 = 1e-3, QueryDependentTaste = true },
    ];

    public static IReadOnlyList<double> PriorScales { get; } = [0.25, 0.5, 1, 2, 4];

    public string Name => "lowrank-bt";

    public IPreferenceModel Fit(EvaluationSplit split, int seed) =>
        FactorTraining.FitBest(Name, split, encoder, grid ?? DefaultGrid, PriorScales, seed, log);
}
