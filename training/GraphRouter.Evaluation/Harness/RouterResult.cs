using GraphRouter.Evaluation.Metrics;

namespace GraphRouter.Evaluation.Harness;

/// <summary>Everything measured for one router on one split.</summary>
public sealed record RouterResult
{
    public required string Router { get; init; }
    public required double FitSeconds { get; init; }
    public required double EvalSeconds { get; init; }
    /// <summary>New (test) users at the headline k: pairwise accuracy, a predicted tie counting 0.5.</summary>
    public required double Accuracy { get; init; }
    public required double AccuracyStandardError { get; init; }
    public required double BinomialStandardError { get; init; }
    public required double Auc { get; init; }
    public required double MeanUserAuc { get; init; }
    public required int Pairs { get; init; }
    /// <summary>Per-user AUC of the new users at the headline k (users with both label classes).</summary>
    public required IReadOnlyDictionary<string, double> UserAuc { get; init; }
    public required IReadOnlyList<FewShotPoint> FewShot { get; init; }
    /// <summary>Known users on their held-out latest interactions (test prompts), seeing all their earlier history.</summary>
    public required double KnownUserAccuracy { get; init; }
    public required double KnownUserStandardError { get; init; }
    public required double KnownUserAuc { get; init; }
    public required int KnownUserPairs { get; init; }
    /// <summary>Strong/weak routing on the test prompts by cold-start (k = 0) scores, performance = correctness.</summary>
    public RoutingCurve? Routing { get; init; }
    /// <summary>Multi-model cost-quality sweep on the test prompts (cold-start scores, expected cost = mean training cost per LLM).</summary>
    public IReadOnlyList<CostQualityPoint>? CostQuality { get; init; }
}
