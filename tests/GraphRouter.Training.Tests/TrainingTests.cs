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
    public void The_same_seed_gives_the_same_losses_and_scores()
    {
        var (lossesA, scoresA) = Run();
        var (lossesB, scoresB) = Run();
        // losses and scores agree to float precision: MKL's sgemm may round the last bit differently with buffer alignment
        Assert.Equal(lossesA.Length, lossesB.Length);
        Assert.All(lossesA.Zip(lossesB), p => Assert.Equal(p.First, p.Second, tolerance: 1e-5f));
        Assert.Equal(scoresA.Length, scoresB.Length);
        Assert.All(scoresA.Zip(scoresB), p => Assert.Equal(p.First, p.Second, tolerance: 1e-5));

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
        // equal to float precision (absolute 1e-5): sgemm may round the last bit differently with buffer alignment
        AssertClose(model.Score(coldA, query, router.Features.Llms), model.Score(coldB, query, router.Features.Llms));
        Assert.NotEqual(model.Score(coldA, query, router.Features.Llms), model.Score(warm, query, router.Features.Llms));
        // the prior in a batch with other users is the same as alone
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
            // equal to float precision (absolute 1e-5): sgemm may round the last bit differently with buffer alignment
            Assert.Equal(before.Length, after.Length);
            Assert.All(before.Zip(after), p => Assert.Equal(p.First, p.Second, 1e-5));
            Assert.Equal(config, loaded.Config);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
