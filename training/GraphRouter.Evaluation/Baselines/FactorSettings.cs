namespace GraphRouter.Evaluation.Baselines;

/// <summary>
/// Hyper-parameters of the pairwise factor model s(u, q, m) = b_m + a_m·(P x_q) + u·v_m, fitted on pairs with
/// the Bradley-Terry loss. <see cref="Rank"/> 0 drops the user term (RouteLLM's mf); <see cref="QueryRank"/>
/// 0 drops the query term (a plain low-rank personalized BT).
/// </summary>
public sealed record FactorSettings
{
    public required int Rank { get; init; }
    public required int QueryRank { get; init; }
    /// <summary>L2 on user and LLM factors (Adam, added to the gradient of the mean pair loss).</summary>
    public double FactorL2 { get; init; } = 1e-3;
    /// <summary>
    /// When set, each LLM's factor shifts with the query: v_m(q) = v_m + C_m (P x_q), so a user's taste may
    /// favour one model for code and another for reasoning. Needs <see cref="QueryRank"/> &gt; 0.
    /// </summary>
    public bool QueryDependentTaste { get; init; }
    /// <summary>L2 on the query projection and the LLMs' query weights.</summary>
    public double QueryL2 { get; init; } = 1e-4;
    public int Epochs { get; init; } = 200;
    public double LearningRate { get; init; } = 0.05;
    /// <summary>Epochs between validation checks when fitting with early stopping.</summary>
    public int ValidateEvery { get; init; } = 25;

    public override string ToString() => $"rank={Rank} queryRank={QueryRank} taste={(QueryDependentTaste ? "query" : "fixed")} factorL2={FactorL2:g3} queryL2={QueryL2:g3} epochs={Epochs}";
}
