using GraphRouter.Core.Featurization;
using GraphRouter.Evaluation.Baselines;
using GraphRouter.Evaluation.Harness;
using GraphRouter.Evaluation.Metrics;
using GraphRouter.Evaluation.Routers;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.Tests.Baselines;

public sealed class BaselineTests
{
    private static readonly Lazy<EvaluationSplit> SliceSplit = new(() => EvaluationSplit.Create(TestData.Slice(200), new SplitConfig()));
    private static readonly IQueryEncoder Encoder = new CachedQueryEncoder(new HashedNgramEncoder(256));

    public static TheoryData<string> Learned => ["global-best", "smallest", "global-bt", "per-user-bt", "lowrank-bt", "mf", "knn"];

    private static IPreferenceModelTrainer Trainer(string name) => name switch
    {
        "global-best" => new GlobalBestTrainer(),
        "smallest" => CostRankTrainer.Smallest,
        "largest" => CostRankTrainer.Largest,
        "global-bt" => new GlobalBradleyTerryTrainer(),
        "per-user-bt" => new PerUserBradleyTerryTrainer(),
        "lowrank-bt" => new LowRankBradleyTerryTrainer(Encoder, [new FactorSettings { Rank = 4, QueryRank = 0, Epochs = 150 }]),
        "mf" => new QueryMatrixFactorizationTrainer(Encoder, [new FactorSettings { Rank = 0, QueryRank = 4, Epochs = 100 }]),
        "knn" => new KnnTrainer(Encoder, [25]),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such baseline"),
    };

    /// <summary>Every training user's training pairs, the user seeing their whole training history.</summary>
    private static List<ScoredPair> TrainingPairs(IPreferenceModel model, EvaluationSplit split)
    {
        var cases = split.Train.GroupBy(i => i.User, StringComparer.Ordinal)
            .Select(g => new UserCase(g.Key, g.ToList(), g.ToList()));
        return PairCollector.Collect(model, split.Data, cases);
    }

    [Theory]
    [MemberData(nameof(Learned))]
    public void Each_baseline_beats_random_on_training_users_pairs(string name)
    {
        var split = SliceSplit.Value;
        var random = PairwiseMetrics.Accuracy(TrainingPairs(new RandomTrainer().Fit(split, 1), split));
        var model = Trainer(name).Fit(split, 1);
        var pairs = TrainingPairs(model, split);
        var accuracy = PairwiseMetrics.Accuracy(pairs);
        Assert.True(pairs.Count > 1000, $"{pairs.Count} pairs");
        Assert.InRange(random, 0.46, 0.54);
        Assert.True(accuracy > random + 0.03, $"{name}: {accuracy:F4} vs random {random:F4}");
        Assert.Equal(name, model.Name);
    }

    [Fact]
    public void Largest_ranks_llms_by_mean_cost_and_smallest_reverses_it()
    {
        var split = SliceSplit.Value;
        var llms = split.Data.Llms.Select(l => l.Name).ToList();
        var state = CostRankTrainer.Largest.Fit(split, 1).Observe("u", []);
        var largest = CostRankTrainer.Largest.Fit(split, 1).Score(state, split.Data.Queries[0], llms);
        var smallest = CostRankTrainer.Smallest.Fit(split, 1).Score(state, split.Data.Queries[0], llms);
        var meanCost = llms.Select(l => split.Data.Outcomes.Where(o => o.Llm == l && split.TrainQueries.Contains(o.QueryId)).Average(o => o.CostUsd)).ToList();
        Assert.Equal(meanCost.IndexOf(meanCost.Max()), Array.IndexOf(largest, largest.Max()));
        Assert.Equal(meanCost.IndexOf(meanCost.Min()), Array.IndexOf(smallest, smallest.Max()));
        Assert.Equal("gpt-4-1106-preview", llms[Array.IndexOf(largest, largest.Max())]);
    }

    [Fact]
    public void Random_is_seeded_and_order_free()
    {
        var split = SliceSplit.Value;
        var a = new RandomTrainer().Fit(split, 5);
        var b = new RandomTrainer().Fit(split, 5);
        var c = new RandomTrainer().Fit(split, 6);
        var q = split.Data.Queries[3];
        string[] llms = ["claude-v2", "gpt-4-1106-preview"];
        var sa = a.Score(a.Observe("u1", []), q, llms);
        Assert.Equal(sa, b.Score(b.Observe("u1", []), q, llms));
        Assert.Equal(sa.Reverse(), b.Score(b.Observe("u1", []), q, [.. llms.Reverse()]));
        Assert.NotEqual(sa, c.Score(c.Observe("u1", []), q, llms));
    }

    [Fact]
    public void Low_rank_bt_fits_new_users_better_as_k_grows()
    {
        var split = TestData.Split;
        var model = new LowRankBradleyTerryTrainer(Encoder, [new FactorSettings { Rank = 4, QueryRank = 0, Epochs = 150 }]).Fit(split, 1);
        var accuracy = split.Config.FewShotKs.ToDictionary(k => k, k => PairwiseMetrics.Accuracy(PairCollector.Collect(model, split.Data, split.NewUserCases, k)));
        Assert.True(accuracy[20] > accuracy[0] + 0.05, string.Join(", ", accuracy.Select(kv => $"k={kv.Key}: {kv.Value:F3}")));
        Assert.True(accuracy[10] > accuracy[1], string.Join(", ", accuracy.Select(kv => $"k={kv.Key}: {kv.Value:F3}")));
    }

    [Fact]
    public void Low_rank_bt_new_user_factors_start_at_the_prior_mean_and_move_with_history()
    {
        var split = SliceSplit.Value;
        var model = new LowRankBradleyTerryTrainer(Encoder, [new FactorSettings { Rank = 4, QueryRank = 0, Epochs = 100 }]).Fit(split, 1);
        var user = split.NewUserCases.First(c => c.History.Count >= 10);
        var q = split.Data.Query(user.Targets.Count > 0 ? user.Targets[0].QueryId : user.History[0].QueryId);
        var llms = split.Data.Llms.Select(l => l.Name).ToList();
        var cold = model.Score(model.Observe(user.User, []), q, llms);
        var coldOther = model.Score(model.Observe("someone-else", []), q, llms);
        var warm = model.Score(model.Observe(user.User, user.History), q, llms);
        Assert.Equal(cold, coldOther);
        Assert.NotEqual(cold, warm);
        Assert.Equal(10, model.Observe(user.User, user.History.Take(10).ToList()).Interactions);
    }

    [Theory]
    [InlineData("lowrank-bt")]
    [InlineData("mf")]
    public void The_same_seed_gives_the_same_scores(string name)
    {
        var split = SliceSplit.Value;
        var a = Trainer(name).Fit(split, 7);
        var b = Trainer(name).Fit(split, 7);
        var c = split.NewUserCases.First(x => x.Targets.Count > 0);
        var first = PairCollector.Collect(a, split.Data, [c]).Select(p => p.Margin);
        var second = PairCollector.Collect(b, split.Data, [c]).Select(p => p.Margin);
        Assert.Equal(first, second);
    }

    [Fact]
    public void The_suite_lists_every_baseline_once()
    {
        var names = BaselineSuite.All(new HashedNgramEncoder(64)).Select(t => t.Name).ToList();
        Assert.Equal(["random", "global-best", "smallest", "largest", "global-bt", "knn", "mf", "per-user-bt", "lowrank-bt"], names);
    }
}
