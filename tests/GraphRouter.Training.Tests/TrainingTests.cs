using GraphRouter.Core.Domain;
using GraphRouter.Training.Scoring;
using GraphRouter.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GraphRouter.Training.Tests;

public sealed class TrainingTests(RouterBenchSlice slice) : IClassFixture<RouterBenchSlice>
{
    [Fact]
    public void A_few_steps_on_one_episode_lower_its_loss()
    {
        using var router = GraphRouterTrainer.Create(slice.Split, RouterBenchSlice.SmallConfig);
        var episode = new EpisodeSampler(slice.Split.Train, RouterBenchSlice.SmallConfig, new Random(1)).Next();
        using var optimizer = optim.Adam(router.Model.parameters(), 0.01);
        var losses = Enumerable.Range(0, 12).Select(_ => GraphRouterTrainer.Step(router, optimizer, episode)).ToList();
        Assert.True(losses[^1] < losses[0] - 0.05, $"losses: {string.Join(", ", losses)}");
    }

    [Fact]
    public void Training_steps_leave_no_live_tensors_behind()
    {
        using var router = GraphRouterTrainer.Create(slice.Split, RouterBenchSlice.SmallConfig);
        var sampler = new EpisodeSampler(slice.Split.Train, RouterBenchSlice.SmallConfig, new Random(2));
        using var optimizer = optim.Adam(router.Model.parameters(), 0.01);
        var user = slice.Split.Train.Where(i => i.User == slice.Split.Train[0].User).Take(5).ToList();
        var query = slice.Split.Data.Query(slice.Split.Train[0].QueryId);
        // warm up: Adam creates its state tensors on the first step
        GraphRouterTrainer.Step(router, optimizer, sampler.Next());
        var before = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        for (var i = 0; i < 5; i++)
        {
            GraphRouterTrainer.Step(router, optimizer, sampler.Next());
            router.Score(router.EncodeUsers([user])[0], query, router.Features.Llms);
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_losses_and_scores()
    {
        var (lossesA, scoresA) = Run();
        var (lossesB, scoresB) = Run();
        // exact: host inputs are copied into aligned libtorch memory (HostTensors), so MKL takes the same path
        Assert.Equal(lossesA, lossesB);
        Assert.Equal(scoresA, scoresB);

        (float[] Losses, double[] Scores) Run()
        {
            using var router = GraphRouterTrainer.Create(slice.Split, RouterBenchSlice.SmallConfig);
            var sampler = new EpisodeSampler(slice.Split.Train, RouterBenchSlice.SmallConfig, new Random(RouterBenchSlice.SmallConfig.Seed));
            using var optimizer = optim.Adam(router.Model.parameters(), 0.01);
            var losses = Enumerable.Range(0, 4).Select(_ => GraphRouterTrainer.Step(router, optimizer, sampler.Next())).ToArray();
            var someone = slice.Split.NewUserCases.First(c => c.Targets.Count > 0);
            var (history, query) = (someone.History, slice.Split.Data.Query(someone.Targets[0].QueryId));
            return (losses, router.Score(router.EncodeUsers([history])[0], query, router.Features.Llms));
        }
    }

    [Fact]
    public void The_same_config_trains_to_bit_identical_epoch_losses_and_metrics()
    {
        // Long enough for last-bit differences to compound: before HostTensors, two runs of this in one process
        // parted from the first epochs on (MKL's sgemm rounds by operand alignment, and the GC placed inputs anew).
        var config = RouterBenchSlice.SmallConfig with { Epochs = 3, StepsPerEpoch = 12, Patience = 3 };
        var first = Train();
        var second = Train();
        Assert.Equal(config.Epochs, first.Reports.Count);
        Assert.Equal(first.Reports, second.Reports);
        Assert.Equal(first.Metrics, second.Metrics);

        (List<(double Loss, double Validation)> Reports, double[] Metrics) Train()
        {
            var reports = new List<EpochReport>();
            using var router = new GraphRouterTrainer(config, reports.Add).Fit(slice.Split);
            var evaluation = QuickEvaluation.Run(router, slice.Split);
            double[] metrics = [evaluation.Validation.Accuracy, evaluation.KnownUsersValidation.Accuracy, .. evaluation.NewUsers.Select(p => p.Result.Accuracy), evaluation.KnownUsers.Accuracy, .. evaluation.UserSpread.Select(p => p.Spread)];
            return (reports.Select(r => (r.Loss, r.ValidationAccuracy)).ToList(), metrics);
        }
    }

    [Fact]
    public void A_user_without_history_gets_the_prior_whoever_they_are()
    {
        using var router = GraphRouterTrainer.Create(slice.Split, RouterBenchSlice.SmallConfig);
        var model = new GraphRouterPreferenceModel(router);
        var someone = slice.Split.NewUserCases.First(c => c.Targets.Count > 0);
        var query = slice.Split.Data.Query(someone.Targets[0].QueryId);
        var coldA = model.Observe("never-seen-a", []);
        var coldB = model.Observe(slice.Split.KnownUsers[0], []);
        var warm = model.Observe(someone.User, someone.History);
        Assert.Equal(0, coldA.Interactions);
        Assert.Equal(someone.History.Count, warm.Interactions);
        // bit for bit: the same inputs in the same shapes (HostTensors aligns them, so MKL takes one path)
        Assert.Equal(model.Score(coldA, query, router.Features.Llms), model.Score(coldB, query, router.Features.Llms));
        Assert.NotEqual(model.Score(coldA, query, router.Features.Llms), model.Score(warm, query, router.Features.Llms));
        // the prior in a batch with other users is the same as alone (to float precision: a batch of another
        // size may be blocked differently by sgemm)
        var batched = router.EncodeUsers([someone.History, []]);
        AssertClose(router.EncodeUsers([Array.Empty<Interaction>()])[0].Select(v => (double)v).ToArray(), batched[1].Select(v => (double)v).ToArray());
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), p => Assert.Equal(p.First, p.Second, 1e-5));
    }

    [Fact]
    public void A_checkpoint_reloads_to_the_same_scores()
    {
        var config = RouterBenchSlice.SmallConfig;
        using var router = new GraphRouterTrainer(config).Fit(slice.Split);
        var folder = Path.Combine(Path.GetTempPath(), "graphrouter-checkpoint-" + Guid.NewGuid().ToString("N"));
        try
        {
            Checkpoint.Save(folder, router);
            using var loaded = Checkpoint.Load(folder, slice.Split);
            var someone = slice.Split.NewUserCases.Where(c => c.Targets.Count > 0).ElementAt(1);
            var query = slice.Split.Data.Query(someone.Targets[0].QueryId);
            var before = router.Score(router.EncodeUsers([someone.History])[0], query, router.Features.Llms);
            var after = loaded.Score(loaded.EncodeUsers([someone.History])[0], query, loaded.Features.Llms);
            // bit for bit: the same weights, inputs and shapes
            Assert.Equal(before, after);
            Assert.Equal(config, loaded.Config);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
