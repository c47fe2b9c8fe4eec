using GraphRouter.Core.Datasets;
using GraphRouter.Evaluation.Metrics;
using GraphRouter.Evaluation.Routers;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.Harness;

/// <summary>Scores a fitted model on user cases: each case's history is observed, then every non-tied target pair is scored.</summary>
public static class PairCollector
{
    /// <summary>
    /// The scored target pairs of <paramref name="cases"/>, each case seeing its first <paramref name="k"/>
    /// history interactions (all of them when null). Pairs are (i &lt; j) in rating-list order; ties skipped.
    /// </summary>
    public static List<ScoredPair> Collect(IPreferenceModel model, PreferenceDataset data, IEnumerable<UserCase> cases, int? k = null)
    {
        var pairs = new List<ScoredPair>();
        foreach (var c in cases)
        {
            var history = k is { } n && n < c.History.Count ? c.History.Take(n).ToList() : c.History;
            var state = model.Observe(c.User, history);
            foreach (var target in c.Targets)
            {
                var ratings = target.Ratings;
                if (ratings.Count < 2)
                {
                    continue;
                }
                var scores = model.Score(state, data.Query(target.QueryId), ratings.Select(r => r.Llm).ToList());
                for (var i = 0; i < ratings.Count; i++)
                {
                    for (var j = i + 1; j < ratings.Count; j++)
                    {
                        if (ratings[i].Rating != ratings[j].Rating)
                        {
                            pairs.Add(new ScoredPair(c.User, scores[i] - scores[j], ratings[i].Rating > ratings[j].Rating));
                        }
                    }
                }
            }
        }
        return pairs;
    }

    /// <summary>
    /// The baselines' tuning signal: pairwise accuracy on validation prompts, over the validation users (seeing
    /// their first <paramref name="k"/> interactions, all of them when null) and the known users' held-out
    /// interactions on validation prompts (seeing all their earlier history).
    /// </summary>
    public static double ValidationAccuracy(IPreferenceModel model, EvaluationSplit split, int? k = null)
    {
        var pairs = Collect(model, split.Data, split.ValidationUserCases, k);
        pairs.AddRange(Collect(model, split.Data, split.KnownUserValidationCases));
        return PairwiseMetrics.Accuracy(pairs);
    }
}
