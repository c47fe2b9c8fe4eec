using GraphRouter.Evaluation.Splits;
using GraphRouter.Serving.Runtime;
using GraphRouter.Training.Retraining;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Tests.Retraining;

/// <summary>The gate's pieces on the bundled data and policy: the held-out set, scoring through the serving runtime, the verdict; and the shuffled-ratings option.</summary>
public sealed class GateTests(RouterBenchSlice slice) : IClassFixture<RouterBenchSlice>
{
    [Fact]
    public void The_gate_set_holds_validation_users_and_known_users_validation_pairs_and_never_a_test_prompt()
    {
        using var policy = PolicyRuntime.Load(BundledPolicy.Folder);
        var set = GateSet.Create(slice.Split, 10, policy.Models);
        Assert.Equal(
            TrainedPairs(GraphRouterTrainer.ValidationCases(slice.Split, 10)) + TrainedPairs(slice.Split.KnownUserValidationCases),
            set.Pairs);
        Assert.Contains(set.Cases, c => c.Group == GateSet.ValidationUsers);
        Assert.Contains(set.Cases, c => c.Group == GateSet.KnownUsers);
        var testTexts = slice.Split.TestQueries.Select(q => slice.Split.Data.Query(q).Text).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(set.Cases.SelectMany(c => c.Targets), t => testTexts.Contains(t.QueryText));
        Assert.All(set.Cases.Where(c => c.Group == GateSet.ValidationUsers), c => Assert.Equal(10, c.History.Count));

        // a catalog that leaves models out leaves their ratings out of every target
        var fewer = GateSet.Create(slice.Split, 10, policy.Models.Take(5).ToList());
        Assert.InRange(fewer.Pairs, 1, set.Pairs - 1);
        Assert.All(fewer.Cases.SelectMany(c => c.Targets).SelectMany(t => t.Ratings), r => Assert.Contains(r.Llm, policy.Models.Take(5)));

        static int TrainedPairs(IEnumerable<UserCase> cases) => cases.SelectMany(c => c.Targets).Sum(t => t.Pairs().Count());
    }

    [Fact]
    public void The_same_policy_scores_the_same_and_the_verdict_names_both_accuracies()
    {
        using var a = PolicyRuntime.Load(BundledPolicy.Folder);
        using var b = PolicyRuntime.Load(BundledPolicy.Folder);
        var set = GateSet.Create(slice.Split, 10, a.Models);
        var first = PolicyGate.Evaluate(a, set);
        var second = PolicyGate.Evaluate(b, set);
        Assert.Equal(first, second);
        Assert.Equal(set.Pairs, first.Pairs);
        Assert.InRange(first.Accuracy, 0.65, 0.85);
        Assert.InRange(first.ValidationUsersAccuracy, 0.6, 0.85);
        Assert.InRange(first.KnownUsersAccuracy, 0.6, 0.85);

        Assert.True(PolicyGate.Judge(first, second, 0).Passed);
        var worse = first with { Version = "worse", Accuracy = first.Accuracy - 0.006 };
        var rejected = PolicyGate.Judge(worse, first, 0.005);
        Assert.False(rejected.Passed);
        Assert.Contains($"{worse.Accuracy:F4}", rejected.Reason, StringComparison.Ordinal);
        Assert.Contains($"{first.Accuracy:F4}", rejected.Reason, StringComparison.Ordinal);
        Assert.True(PolicyGate.Judge(first with { Version = "close", Accuracy = first.Accuracy - 0.004 }, first, 0.005).Passed);
        Assert.True(PolicyGate.Judge(worse, null, 0.005).Passed);
        Assert.Throws<ArgumentException>(() => PolicyGate.Judge(worse, first with { Pairs = first.Pairs - 1 }, 0.005));
    }

    [Fact]
    public void Shuffled_ratings_keep_each_interactions_values_and_models_but_lose_the_preferences()
    {
        var data = slice.Split.Data;
        var shuffled = RatingShuffle.Apply(data, 7);
        Assert.Equal(RatingShuffle.Apply(data, 7).Interactions.SelectMany(i => i.Ratings), shuffled.Interactions.SelectMany(i => i.Ratings));
        // every non-tied pair keeps its order about as often as a coin flip would: what the ratings said is gone
        var (pairs, kept) = (0, 0);
        for (var i = 0; i < data.Interactions.Count; i++)
        {
            var (before, after) = (data.Interactions[i], shuffled.Interactions[i]);
            Assert.Equal(before.Ratings.Select(r => r.Llm), after.Ratings.Select(r => r.Llm));
            Assert.Equal(before.Ratings.Select(r => r.Rating).Order(), after.Ratings.Select(r => r.Rating).Order());
            var original = before.Pairs().Select(p => (p.Winner, p.Loser)).ToHashSet();
            foreach (var pair in after.Pairs())
            {
                pairs++;
                kept += original.Contains((pair.Winner, pair.Loser)) ? 1 : 0;
            }
        }
        Assert.InRange((double)kept / pairs, 0.45, 0.55);
    }

    [Fact]
    public void Configs_resolve_by_name_in_training_configs_or_by_path_and_an_unknown_name_lists_the_known_ones()
    {
        var quick = TrainingConfigFile.ReadNamed("retrain-quick");
        Assert.True(quick.Retrain.WarmStart);
        Assert.True(TrainingConfigFile.ReadNamed("retrain-shuffled").ShuffleRatings);
        Assert.Equal(TrainingConfigFile.Resolve("default"), TrainingConfigFile.Resolve(TrainingConfigFile.DefaultPath()));
        var e = Assert.Throws<FileNotFoundException>(() => TrainingConfigFile.Resolve("no-such-config"));
        Assert.Contains("retrain-quick", e.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => TrainingConfigFile.Resolve("/no/such/config.json"));
    }
}
