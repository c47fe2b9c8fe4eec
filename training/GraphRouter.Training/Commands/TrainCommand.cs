using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GraphRouter.Training.Scoring;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Commands;

/// <summary><c>graphrouter-train train</c>: trains on the bundled split, prints progress per epoch, writes a checkpoint.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var options = new TrainingOptions();
        var output = new Option<DirectoryInfo>("--output") { Description = "Folder for the checkpoint, encoder parameters and config.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("training", "checkpoints", "default")) };
        var plots = new Option<DirectoryInfo?>("--plots") { Description = "Folder for PNGs of the per-epoch resident memory, loss and validation accuracy (none when omitted)." };
        var command = new Command("train", "Train GraphRouter's model and write a checkpoint.");
        options.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(plots);
        command.SetAction(parse =>
        {
            var config = options.ReadConfig(parse);
            var split = options.ReadSplit(parse);
            var (router, epochs) = Run(config, split, parse.InvocationConfiguration.Output);
            Checkpoint.Save(parse.GetValue(output)!.FullName, router);
            parse.InvocationConfiguration.Output.WriteLine($"checkpoint written to {parse.GetValue(output)!.FullName}");
            if (parse.GetValue(plots) is { } folder)
            {
                foreach (var path in TrainingPlots.Write(epochs, folder.FullName))
                {
                    parse.InvocationConfiguration.Output.WriteLine($"wrote {path}");
                }
            }
            router.Dispose();
            return 0;
        });
        return command;
    }

    /// <summary>Trains with per-epoch progress on <paramref name="log"/>, then prints the quick evaluation.</summary>
    /// <returns>The trained router and its epochs' reports.</returns>
    public static (TrainedGraphRouter Router, IReadOnlyList<EpochReport> Epochs) Run(TrainingConfig config, GraphRouter.Evaluation.Splits.EvaluationSplit split, TextWriter log)
    {
        log.WriteLine(FormattableString.Invariant($"training on {split.Train.Count} interactions of {split.KnownUsers.Count} users; validation: {split.ValidationUsers.Count} users at k={config.ValidationK}"));
        log.WriteLine(NativeHeapTuning.Describe());
        var clock = Stopwatch.StartNew();
        var epochs = new List<EpochReport>();
        var trainer = new GraphRouterTrainer(config, report =>
        {
            epochs.Add(report);
            log.WriteLine(report.ToString());
        });
        var router = trainer.Fit(split);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained in {clock.Elapsed.TotalSeconds:F1} s"));
        clock.Restart();
        log.WriteLine(QuickEvaluation.Run(router, split).ToString());
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"evaluated in {clock.Elapsed.TotalSeconds:F1} s"));
        return (router, epochs);
    }
}
