using GraphRouter.Evaluation.Metrics;

namespace GraphRouter.Evaluation.Tests.Metrics;

public sealed class PairwiseMetricsTests
{
    private static ScoredPair P(double margin, bool label, string user = "a") => new(user, margin, label);

    [Fact]
    public void Accuracy_counts_a_predicted_tie_as_half()
    {
        // correct, wrong, tie, correct (negative label, negative margin) => (1 + 0 + 0.5 + 1) / 4
        ScoredPair[] pairs = [P(1, true), P(2, false), P(0, true), P(-3, false)];
        Assert.Equal(0.625, PairwiseMetrics.Accuracy(pairs), 12);
    }

    [Fact]
    public void Accuracy_of_nothing_is_nan() => Assert.True(double.IsNaN(PairwiseMetrics.Accuracy([])));

    [Fact]
    public void Auc_is_the_mann_whitney_statistic_with_ties_counted_half()
    {
        // Positives at margins 0.9, 0.4, 0.4; negatives at 0.4, 0.1.
        // Positive-negative comparisons: (0.9>0.4)=1, (0.9>0.1)=1, (0.4=0.4)=0.5 twice, (0.4>0.1)=1 twice => 5 of 6.
        ScoredPair[] pairs = [P(0.9, true), P(0.4, true), P(0.4, true), P(0.4, false), P(0.1, false)];
        Assert.Equal(5.0 / 6.0, PairwiseMetrics.Auc(pairs), 12);
    }

    [Fact]
    public void Auc_is_one_for_perfect_order_zero_for_reversed_and_nan_for_one_class()
    {
        Assert.Equal(1.0, PairwiseMetrics.Auc([P(2, true), P(1, true), P(-1, false)]), 12);
        Assert.Equal(0.0, PairwiseMetrics.Auc([P(-2, true), P(1, false)]), 12);
        Assert.True(double.IsNaN(PairwiseMetrics.Auc([P(1, true), P(2, true)])));
    }

    [Fact]
    public void Mean_per_user_auc_skips_users_with_one_label_class()
    {
        ScoredPair[] pairs =
        [
            P(1, true, "a"), P(-1, false, "a"),           // a: AUC 1
            P(1, true, "b"), P(2, false, "b"),            // b: AUC 0
            P(5, true, "c"), P(6, true, "c"),             // c: positives only, skipped
        ];
        var perUser = PairwiseMetrics.PerUserAuc(pairs);
        Assert.Equal(["a", "b"], perUser.Keys);
        Assert.Equal(0.5, PairwiseMetrics.MeanPerUserAuc(pairs), 12);
    }

    [Fact]
    public void Binomial_standard_error_matches_the_formula()
    {
        Assert.Equal(Math.Sqrt(0.7 * 0.3 / 100), StandardErrors.Binomial(0.7, 100), 12);
        Assert.True(double.IsNaN(StandardErrors.Binomial(0.5, 0)));
    }

    [Fact]
    public void User_bootstrap_is_seeded_and_zero_when_every_user_scores_the_same()
    {
        var pairs = Enumerable.Range(0, 40).Select(i => P(i % 2 == 0 ? 1 : -1, true, $"u{i / 4}")).ToList();
        Assert.Equal(0, StandardErrors.UserBootstrap(pairs, 100, 3), 12);
        var mixed = Enumerable.Range(0, 40).Select(i => P(1, i < 10, $"u{i / 4}")).ToList();
        var a = StandardErrors.UserBootstrap(mixed, 100, 3);
        Assert.Equal(a, StandardErrors.UserBootstrap(mixed, 100, 3));
        Assert.InRange(a, 0.05, 0.3);
    }
}
