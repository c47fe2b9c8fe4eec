using GraphRouter.Training.Training;
using TorchSharp;

namespace GraphRouter.Training.Tests;

/// <summary>The trainer beyond a single step: no tensor left behind by a run, what early stopping scores, the plots.</summary>
public sealed class TrainerRunTests(RouterBenchSlice slice) : IClassFixture<RouterBenchSlice>
{
    [Fact]
    public void Better_epochs_leave_no_live_tensor_behind()
    {
        // Building a model leaves a few construction temporaries (a fixed number per model); what a run adds per
        // epoch must be nothing: one epoch and four epochs with several better ones leave the same count.
        var one = LeftAfter(RouterBenchSlice.SmallConfig with { Epochs = 1, StepsPerEpoch = 4 }, out _);
        var four = LeftAfter(RouterBenchSlice.SmallConfig with { Epochs = 4, StepsPerEpoch = 4, Patience = 4 }, out var better);
        Assert.True(better >= 2, $"better epochs: {better}");
        Assert.Equal(one, four);

        long LeftAfter(TrainingConfig config, out int betterEpochs)
        {
            var before = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
            var reports = new List<EpochReport>();
            new GraphRouterTrainer(config, reports.Add).Fit(slice.Split).Dispose();
            betterEpochs = reports.Count(r => r.Best);
            return DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount - before;
        }
    }

    [Fact]
    public void Selection_on_known_users_adds_their_validation_prompts_and_never_a_test_prompt()
    {
        var plain = GraphRouterTrainer.SelectionCases(slice.Split, RouterBenchSlice.SmallConfig);
        var withKnown = GraphRouterTrainer.SelectionCases(slice.Split, RouterBenchSlice.SmallConfig with { SelectOnKnownUsers = true });
        Assert.Equal(slice.Split.ValidationUserCases.Count, plain.Count);
        Assert.Equal(slice.Split.ValidationUserCases.Count + slice.Split.KnownUserValidationCases.Count, withKnown.Count);
        Assert.Contains(withKnown, c => slice.Split.KnownUsers.Contains(c.User));
        Assert.DoesNotContain(withKnown.SelectMany(c => c.Targets), t => slice.Split.TestQueries.Contains(t.QueryId));
        Assert.DoesNotContain(withKnown, c => slice.Split.NewUsers.Contains(c.User));
    }

    [Fact]
    public void The_training_plots_are_written_as_png_and_an_empty_run_is_refused()
    {
        var folder = Path.Combine(Path.GetTempPath(), "graphrouter-plots-" + Guid.NewGuid().ToString("N"));
        try
        {
            var reports = Enumerable.Range(1, 5).Select(e => new EpochReport(e, 0.7 - 0.01 * e, 0.6 + 0.01 * e, 250 + e, 2.5, e == 5)).ToList();
            var written = TrainingPlots.Write(reports, folder);
            Assert.Equal([Path.Combine(folder, TrainingPlots.MemoryFile), Path.Combine(folder, TrainingPlots.CurveFile)], written);
            byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G'];
            Assert.All(written, path => Assert.Equal(png, File.ReadAllBytes(path)[..4]));
            Assert.Throws<ArgumentException>(() => TrainingPlots.Write([], Path.Combine(folder, "empty")));
            Assert.False(Directory.Exists(Path.Combine(folder, "empty")));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
