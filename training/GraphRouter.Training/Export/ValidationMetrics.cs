using GraphRouter.Evaluation.Metrics;
using GraphRouter.Evaluation.Splits;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Export;

/// <summary>
/// The metrics a policy's manifest records, all on the validation split (never a test prompt or test user):
/// validation users (never trained on) seen through their first k interactions, as training selected on; and
/// known users' held-out interactions on validation prompts. Scored with the featurization the policy serves
/// with (every prompt through the fitted encoder, no out-of-fold vectors).
/// </summary>
public static class ValidationMetrics
{
    public static IReadOnlyDictionary<string, double> Compute(TrainedGraphRouter router, EvaluationSplit split)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(split);
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var validation = Pairs(router, split, GraphRouterTrainer.ValidationCases(split, router.Config.ValidationK));
        metrics["validationK"] = router.Config.ValidationK;
        metrics["validationPairs"] = validation.Count;
        metrics["validationPairwiseAccuracy"] = PairwiseMetrics.Accuracy(validation);
        metrics["validationAuc"] = PairwiseMetrics.Auc(validation);
        metrics["validationMeanUserAuc"] = PairwiseMetrics.MeanPerUserAuc(validation);
        var known = Pairs(router, split, split.KnownUserValidationCases);
        metrics["knownUsersValidationPairs"] = known.Count;
        metrics["knownUsersValidationPairwiseAccuracy"] = PairwiseMetrics.Accuracy(known);
        metrics["knownUsersValidationAuc"] = PairwiseMetrics.Auc(known);
        // A metric without pairs is NaN, which JSON cannot hold: it is left out rather than written as a number.
        foreach (var key in metrics.Where(m => !double.IsFinite(m.Value)).Select(m => m.Key).ToList())
        {
            metrics.Remove(key);
        }
        return metrics;
    }

    /// <summary>Every non-tied pair of every target interaction, in rating-list orientation, scored from the case's history only.</summary>
    private static List<ScoredPair> Pairs(TrainedGraphRouter router, EvaluationSplit split, IReadOnlyList<UserCase> cases)
    {
        var pairs = new List<ScoredPair>();
        foreach (var chunk in cases.Where(c => c.Targets.Count > 0).Chunk(64))
        {
            var users = router.EncodeUsers(chunk.Select(c => c.History).ToList());
            for (var u = 0; u < chunk.Length; u++)
            {
                foreach (var target in chunk[u].Targets)
                {
                    var llms = target.Ratings.Select(r => r.Llm).ToArray();
                    var scores = router.Score(users[u], split.Data.Query(target.QueryId), llms);
                    for (var i = 0; i < llms.Length; i++)
                    {
                        for (var j = i + 1; j < llms.Length; j++)
                        {
                            var (a, b) = (target.Ratings[i].Rating, target.Ratings[j].Rating);
                            if (a != b)
                            {
                                pairs.Add(new ScoredPair(chunk[u].User, scores[i] - scores[j], a > b));
                            }
                        }
                    }
                }
            }
        }
        return pairs;
    }
}
