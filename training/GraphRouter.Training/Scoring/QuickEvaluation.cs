using System.Globalization;
using System.Text;
using GraphRouter.Evaluation.Splits;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Scoring;

/// <summary>
/// GraphRouter's own pairwise accuracies on a split, independent of the full harness: validation users
/// at the validation k and known users on validation prompts (what model selection may look at), new users
/// along the few-shot curve, known users from their whole history; and how far apart new users' embeddings
/// are at each k (RMS over dimensions of the std across users, against the embeddings' mean norm): a model
/// that ignores the user shows no spread.
/// </summary>
public sealed record QuickEvaluation(
    PairwiseResult Validation,
    PairwiseResult KnownUsersValidation,
    IReadOnlyList<(int K, PairwiseResult Result)> NewUsers,
    PairwiseResult KnownUsers,
    IReadOnlyList<(int K, double Spread, double Norm)> UserSpread)
{
    public static QuickEvaluation Run(TrainedGraphRouter router, EvaluationSplit split) => new(
        router.PairwiseAccuracy(GraphRouterTrainer.ValidationCases(split, router.Config.ValidationK)),
        router.PairwiseAccuracy(split.KnownUserValidationCases),
        split.Config.FewShotKs.Select(k => (k, router.PairwiseAccuracy(split.NewUserCases.Select(c => c.WithHistory(k)).ToList()))).ToList(),
        router.PairwiseAccuracy(split.KnownUserCases),
        split.Config.FewShotKs.Select(k => Spread(router, split.NewUserCases.Select(c => c.WithHistory(k).History).ToList(), k)).ToList());

    private static (int K, double Spread, double Norm) Spread(TrainedGraphRouter router, IReadOnlyList<IReadOnlyList<Core.Domain.Interaction>> histories, int k)
    {
        var users = router.EncodeUsers(histories);
        var width = users[0].Length;
        var variance = 0.0;
        for (var j = 0; j < width; j++)
        {
            var mean = users.Average(u => (double)u[j]);
            variance += users.Average(u => (u[j] - mean) * (u[j] - mean));
        }
        var norm = users.Average(u => Math.Sqrt(u.Sum(x => (double)x * x)));
        return (k, Math.Sqrt(variance / width), norm);
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"validation users accuracy {Validation.Accuracy:F4} ({Validation.Pairs} pairs)");
        text.AppendLine(CultureInfo.InvariantCulture, $"known users validation accuracy {KnownUsersValidation.Accuracy:F4} ({KnownUsersValidation.Pairs} pairs)");
        foreach (var (k, result) in NewUsers)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"new users k={k,-3} accuracy {result.Accuracy:F4} ({result.Pairs} pairs)");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"known users    accuracy {KnownUsers.Accuracy:F4} ({KnownUsers.Pairs} pairs)");
        foreach (var (k, spread, norm) in UserSpread)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"new users k={k,-3} embedding std across users {spread:F4} (per dimension, RMS), mean norm {norm:F4}");
        }
        return text.ToString().TrimEnd();
    }
}
