using System.Globalization;
using GraphRouter.Evaluation.Metrics;
using GraphRouter.Serving.Runtime;

namespace GraphRouter.Training.Retraining;

/// <summary>One policy's scores on a <see cref="GateSet"/>: pairwise accuracy (a predicted tie counts half) and AUC, overall and per group.</summary>
public sealed record GateScore(string Version, double Accuracy, double Auc, int Pairs, double ValidationUsersAccuracy, double KnownUsersAccuracy);

/// <summary>Whether the candidate may become active, and why, in words that name both accuracies.</summary>
public sealed record GateVerdict(bool Passed, string Reason);

/// <summary>
/// The retraining gate. Every policy is judged as serving would run it: loaded with <see cref="PolicyRuntime"/>
/// (checksums verified, parity sample replayed: a policy that fails either is never scored), each user embedded from
/// their stored-form history, each held-out prompt encoded and scored by ONNX Runtime, on the same
/// <see cref="GateSet"/> with the same code. A candidate passes when its accuracy is at least the active policy's
/// minus the margin; with no active policy to compare with, passing parity is enough.
/// </summary>
public static class PolicyGate
{
    public static GateScore Evaluate(PolicyRuntime policy, GateSet set)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(set);
        var all = new List<ScoredPair>(set.Pairs);
        var byGroup = new Dictionary<string, List<ScoredPair>>(StringComparer.Ordinal);
        foreach (var gateCase in set.Cases)
        {
            var user = policy.EmbedUser(gateCase.History);
            if (!byGroup.TryGetValue(gateCase.Group, out var group))
            {
                byGroup[gateCase.Group] = group = [];
            }
            foreach (var target in gateCase.Targets)
            {
                var models = target.Ratings.Select(r => r.Llm).ToArray();
                var scores = policy.Score(user, policy.EncodeQuery(target.QueryText), models);
                for (var i = 0; i < models.Length; i++)
                {
                    for (var j = i + 1; j < models.Length; j++)
                    {
                        var (a, b) = (target.Ratings[i].Rating, target.Ratings[j].Rating);
                        if (a != b)
                        {
                            var pair = new ScoredPair(gateCase.User, scores[i] - scores[j], a > b);
                            all.Add(pair);
                            group.Add(pair);
                        }
                    }
                }
            }
        }
        return new GateScore(
            policy.Version,
            PairwiseMetrics.Accuracy(all),
            PairwiseMetrics.Auc(all),
            all.Count,
            byGroup.TryGetValue(GateSet.ValidationUsers, out var validation) ? PairwiseMetrics.Accuracy(validation) : double.NaN,
            byGroup.TryGetValue(GateSet.KnownUsers, out var known) ? PairwiseMetrics.Accuracy(known) : double.NaN);
    }

    /// <param name="active">The active policy's score on the same set; null when there is none to compare with.</param>
    /// <param name="margin">How much lower than the active policy's accuracy the candidate's may be (0 or more).</param>
    public static GateVerdict Judge(GateScore candidate, GateScore? active, double margin)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentOutOfRangeException.ThrowIfNegative(margin);
        if (candidate.Pairs == 0 || double.IsNaN(candidate.Accuracy))
        {
            return new GateVerdict(false, $"candidate {candidate.Version}: the gate has no held-out pairs to judge it on");
        }
        if (active is null)
        {
            return new GateVerdict(true, Invariant($"candidate {candidate.Version} passed parity; no active policy to compare with (its gate accuracy {candidate.Accuracy:F4} on {candidate.Pairs} held-out pairs)"));
        }
        if (active.Pairs != candidate.Pairs)
        {
            throw new ArgumentException($"the candidate was scored on {candidate.Pairs} pairs and the active policy on {active.Pairs}: not the same gate set", nameof(active));
        }
        var floor = active.Accuracy - margin;
        return candidate.Accuracy >= floor
            ? new GateVerdict(true, Invariant($"candidate {candidate.Version} gate accuracy {candidate.Accuracy:F4} >= active {active.Version} {active.Accuracy:F4} - margin {margin:0.####} on the same {candidate.Pairs} held-out pairs"))
            : new GateVerdict(false, Invariant($"candidate {candidate.Version} gate accuracy {candidate.Accuracy:F4} < active {active.Version} {active.Accuracy:F4} - margin {margin:0.####} on the same {candidate.Pairs} held-out pairs"));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
