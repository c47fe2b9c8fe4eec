using System.CommandLine;
using GraphRouter.Core.Datasets;
using GraphRouter.Storage;
using GraphRouter.Storage.Import;

namespace GraphRouter.Cli.Commands;

/// <summary>
/// <c>graphrouter import FOLDER</c>: reads and validates a whole dataset folder, then writes it in one
/// transaction. The format is detected: routerbench (<c>dataset.json</c>) or llmrouter-dc
/// (<c>llms.json</c> and <c>train.json</c>).
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var store = StoreOption.Create();
        var folder = new Argument<DirectoryInfo>("folder") { Description = "A dataset folder: routerbench format (dataset.json, *.jsonl) or llmrouter-dc format (llms.json, train.json, test.json)." };
        var command = new Command("import",
            $"Import a dataset folder into the store, idempotently: what is already stored is kept and not counted again. Bad data is reported as FILE:LINE: PROBLEM and nothing is written. {ExitCodes.Help}")
        {
            folder,
            store,
        };
        command.SetAction((parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var location = parse.GetRequiredValue(store);
            var path = parse.GetRequiredValue(folder).FullName;
            return StoreCommandRunner.RunAsync(location, output, error, (graph, token) => ImportAsync(graph, path, output, token), ct);
        });
        return command;
    }

    private static async Task<int> ImportAsync(IGraphStore graph, string folder, TextWriter output, CancellationToken ct)
    {
        var format = DatasetFormats.Detect(folder);
        await output.WriteLineAsync($"reading {folder} ({format.ToString().ToLowerInvariant()} format)");
        var lines = new LineProgress(output);
        var storeProgress = new StoreProgress(output);

        ImportResult result;
        string name;
        switch (format)
        {
            case DatasetFormat.RouterBench:
                // Read and validate everything before the store is touched.
                var dataset = RouterBenchReader.Load(folder, lines);
                name = dataset.Name;
                await MigrateAsync(graph, output, ct);
                await output.WriteLineAsync($"writing {name} to {graph.Location}");
                result = await graph.ImportAsync(dataset, storeProgress, ct);
                break;
            default:
                var table = QualityTableReader.Load(folder);
                name = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
                await output.WriteLineAsync($"llms.json: {table.Catalog.Count:N0} LLMs; train.json: {table.Train.Count:N0} prompts; test.json: {table.Test.Count:N0} prompts; {table.ScoredLlms.Count} scored LLMs");
                await MigrateAsync(graph, output, ct);
                await output.WriteLineAsync($"writing {name} to {graph.Location}");
                result = await graph.ImportQualityTableAsync(table, storeProgress, ct);
                break;
        }
        await output.WriteLineAsync(result.AddedNothing
            ? $"{name}: nothing added, everything was already in the store"
            : $"{name}: added {result}");
        return ExitCodes.Ok;
    }

    private static async Task MigrateAsync(IGraphStore graph, TextWriter output, CancellationToken ct)
    {
        var applied = await graph.MigrateAsync(ct);
        if (applied.Count > 0)
        {
            await output.WriteLineAsync($"applied migration(s) {string.Join(", ", applied)}");
        }
    }

    private sealed class LineProgress(TextWriter output) : IProgress<string>
    {
        public void Report(string value) => output.WriteLine("  " + value);
    }

    private sealed class StoreProgress(TextWriter output) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => output.WriteLine($"  {value.Item}: {value.Total:N0} ({value.Added:N0} new)");
    }
}
