using GraphRouter.Core.Domain;
using GraphRouter.Evaluation.Splits;
using GraphRouter.Storage.History;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Retraining;

/// <summary>One user of the gate: their visible history as the store would return it (newest first) and the comparisons to predict.</summary>
public sealed record GateCase(string User, string Group, IReadOnlyList<HistoryEntry> History, IReadOnlyList<GateTarget> Targets);

/// <summary>A held-out comparison: the prompt's text and the ratings of the responses, restricted to models every judged policy knows.</summary>
public sealed record GateTarget(string QueryText, IReadOnlyList<RatedLlm> Ratings);

/// <summary>
/// The held-out pairs the retraining gate scores every policy on, the same pairs for each: the validation users
/// (never trained on) seen through their first k interactions, predicting the rest of their interactions on
/// non-test prompts (<see cref="GraphRouterTrainer.ValidationCases"/>), and the known users' held-out interactions
/// on validation prompts, from their whole training history. No test prompt and no test user: the gate, like
/// early stopping, must not spend the test set. Histories carry the real answers' text and cost, as serving's do.
/// </summary>
public sealed class GateSet
{
    public const string ValidationUsers = "validationUsers";
    public const string KnownUsers = "knownUsers";

    private GateSet(IReadOnlyList<GateCase> cases, int pairs)
    {
        Cases = cases;
        Pairs = pairs;
    }

    public IReadOnlyList<GateCase> Cases { get; }

    /// <summary>Non-tied pairs over all cases.</summary>
    public int Pairs { get; }

    /// <param name="models">The models every judged policy can score; ratings of others are left out of the targets.</param>
    public static GateSet Create(EvaluationSplit split, int k, IReadOnlyCollection<string> models)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(models);
        var scorable = models.ToHashSet(StringComparer.Ordinal);
        var cases = new List<GateCase>();
        var pairs = 0;
        foreach (var (group, userCases) in new[] { (ValidationUsers, GraphRouterTrainer.ValidationCases(split, k)), (KnownUsers, split.KnownUserValidationCases) })
        {
            foreach (var userCase in userCases)
            {
                var targets = userCase.Targets
                    .Select(t => new GateTarget(split.Data.Query(t.QueryId).Text, t.Ratings.Where(r => scorable.Contains(r.Llm)).ToList()))
                    .Where(t => t.Ratings.Count >= 2)
                    .ToList();
                var count = targets.Sum(CountPairs);
                if (count == 0)
                {
                    continue;
                }
                pairs += count;
                cases.Add(new GateCase(userCase.User, group, AsStored(split, userCase.History), targets));
            }
        }
        return new GateSet(cases, pairs);
    }

    /// <summary>A chronological history as the store returns it: newest first, with the dataset's answers' text and cost.</summary>
    public static IReadOnlyList<HistoryEntry> AsStored(EvaluationSplit split, IReadOnlyList<Interaction> history)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(history);
        var entries = new List<HistoryEntry>(history.Count);
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var interaction = history[i];
            entries.Add(new HistoryEntry
            {
                Conversation = interaction.Conversation,
                Step = interaction.Step,
                Timestamp = interaction.Timestamp,
                QueryId = interaction.QueryId,
                QueryText = split.Data.Query(interaction.QueryId).Text,
                Responses = interaction.Ratings.Select(r => split.Data.TryGetOutcome(interaction.QueryId, r.Llm, out var outcome)
                    ? new RatedResponse { Llm = r.Llm, Rating = r.Rating, Text = outcome.Response, CostUsd = outcome.CostUsd }
                    : new RatedResponse { Llm = r.Llm, Rating = r.Rating }).ToList(),
            });
        }
        return entries;
    }

    private static int CountPairs(GateTarget target)
    {
        var count = 0;
        for (var i = 0; i < target.Ratings.Count; i++)
        {
            for (var j = i + 1; j < target.Ratings.Count; j++)
            {
                count += target.Ratings[i].Rating != target.Ratings[j].Rating ? 1 : 0;
            }
        }
        return count;
    }
}
