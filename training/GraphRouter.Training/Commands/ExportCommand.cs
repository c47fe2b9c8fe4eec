using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GraphRouter.Core.Datasets;
using GraphRouter.Evaluation.Splits;
using GraphRouter.Routing.Policies;
using GraphRouter.Training.Export;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Commands;

/// <summary>
/// <c>graphrouter-train export</c>: a checkpoint to a versioned policy folder the service loads
/// (<see cref="PolicyExporter"/>). Exit codes: 0 written; 2 usage; 3 bad input (no such checkpoint, a checkpoint
/// that does not fit the data, an encoder that cannot be exported, an existing version), nothing written.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<DirectoryInfo>("--checkpoint") { Description = "Checkpoint folder written by 'train'.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("training", "checkpoints", "default")) };
        var output = new Option<DirectoryInfo>("--output") { Description = "Parent folder; the policy is written to OUTPUT/<version>/.", Required = true };
        var version = new Option<string?>("--version") { Description = "Policy version (the folder's name). Default: UTC date + the first 8 hex digits of the graphs' and encoder's SHA-256." };
        var data = new Option<DirectoryInfo?>("--data") { Description = "Dataset folder in the routerbench format the checkpoint was trained on (default: the bundled data/routerbench)." };
        var command = new Command("export", $"Export a checkpoint as a policy folder (ONNX graphs, query encoder, manifest with checksums). {ExitCodes.Help}");
        command.Options.Add(checkpoint);
        command.Options.Add(output);
        command.Options.Add(version);
        command.Options.Add(data);
        command.SetAction(parse =>
        {
            var log = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var requested = parse.GetValue(version);
            if (requested is not null && !PolicyExporter.IsValidVersion(requested))
            {
                error.WriteLine($"--version '{requested}' is not a plain name (letters, digits, '.', '_', '-', starting with a letter or digit)");
                return ExitCodes.Usage;
            }
            var folder = parse.GetValue(checkpoint)!.FullName;
            if (!Checkpoint.Exists(folder))
            {
                error.WriteLine($"{folder} holds no checkpoint ({Checkpoint.ModelFile}, {Checkpoint.ConfigFile}, {Checkpoint.FeaturesFile}); run 'graphrouter-train train' first");
                return ExitCodes.BadInput;
            }
            var clock = Stopwatch.StartNew();
            try
            {
                var dataset = parse.GetValue(data)?.FullName ?? BundledData.RouterBench;
                log.WriteLine($"loading {dataset} and the checkpoint {folder}");
                var split = EvaluationSplit.Create(RouterBenchReader.Load(dataset), new SplitConfig());
                using var router = Checkpoint.Load(folder, split);
                var written = PolicyExporter.Export(router, split, parse.GetValue(output)!.FullName, requested, log);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"policy written to {written} in {clock.Elapsed.TotalSeconds:F1} s"));
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is InvalidDataException or DatasetFormatException or ArgumentException or IOException)
            {
                error.WriteLine($"export failed, nothing written: {e.Message}");
                return ExitCodes.BadInput;
            }
            catch (PolicyArtifactException e)
            {
                error.WriteLine($"export failed, the written policy did not load back and was removed: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }
}
