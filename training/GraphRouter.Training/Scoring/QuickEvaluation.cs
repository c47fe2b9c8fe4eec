using System.Globalization;
using System.Text;
using GraphRouter.Evaluation.Splits;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Scoring;

/// <summary>
/// GraphRouter's own pairwise accuracies on a split, independent of the full harness: validation users
/// at the validation k, new users along the few-shot curve, known users from their whole history.
/// </summary>
public sealed record QuickEvaluation(PairwiseResult Validation, IReadOnlyList<(int K, PairwiseResult Result)> NewUsers, PairwiseResult KnownUsers)
{
    public static QuickEvaluation Run(TrainedGraphRouter router, EvaluationSplit split) => new(
        router.PairwiseAccuracy(GraphRouterTrainer.ValidationCases(split, router.Config.ValidationK)),
        split.Config.FewShotKs.Select(k => (k, router.PairwiseAccuracy(split.NewUserCases.Select(c => c.WithHistory(k)).ToList()))).ToList(),
        router.PairwiseAccuracy(split.KnownUserCases));

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"validation users accuracy {Validation.Accuracy:F4} ({Validation.Pairs} pairs)");
        foreach (var (k, result) in NewUsers)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"new users k={k,-3} accuracy {result.Accuracy:F4} ({result.Pairs} pairs)");
        }
        text.Append(CultureInfo.InvariantCulture, $"known users    accuracy {KnownUsers.Accuracy:F4} ({KnownUsers.Pairs} pairs)");
        return text.ToString();
    }
}
