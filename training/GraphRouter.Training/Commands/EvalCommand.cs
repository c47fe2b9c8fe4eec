using System.CommandLine;
using GraphRouter.Core.Datasets;
using GraphRouter.Evaluation.Baselines;
using GraphRouter.Evaluation.Harness;
using GraphRouter.Evaluation.Reports;
using GraphRouter.Training.Scoring;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Commands;

/// <summary>
/// <c>graphrouter-train eval</c>: GraphRouter (from a checkpoint, or trained now when there is none) and
/// every baseline on the same split; prints the table and writes results JSON/Markdown and plots.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var options = new TrainingOptions();
        var checkpoint = new Option<DirectoryInfo>("--checkpoint") { Description = "Checkpoint folder to load; trained (and written there) when missing.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("training", "checkpoints", "default")) };
        var results = new Option<DirectoryInfo>("--results") { Description = "Folder for results.json, results.md and the plots.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("training", "results")) };
        var command = new Command("eval", "Evaluate GraphRouter beside every baseline on the routerbench split; write results and plots.");
        options.AddTo(command);
        command.Options.Add(checkpoint);
        command.Options.Add(results);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var config = options.ReadConfig(parse);
            var split = options.ReadSplit(parse);
            var folder = parse.GetValue(checkpoint)!.FullName;
            if (!Checkpoint.Exists(folder))
            {
                output.WriteLine($"no checkpoint in {folder}: training one");
                using var trained = TrainCommand.Run(config, split, output).Router;
                Checkpoint.Save(folder, trained);
            }
            var progress = new Progress<string>(output.WriteLine);
            var graphRouter = new GraphRouterModelTrainer(config, checkpoint: folder);
            var trainers = BaselineSuite.All(new Core.Featurization.HashedNgramEncoder(), output.WriteLine).Append(graphRouter).ToList();
            var quality = QualityTableReader.Load(BundledData.LlmRouterDc);
            var report = EvaluationHarness.Run(split, trainers, quality, new EvaluationOptions(), progress);
            output.WriteLine(ReportWriter.Markdown(report));
            ReportWriter.Write(report, parse.GetValue(results)!.FullName, progress);
            return 0;
        });
        return command;
    }
}
