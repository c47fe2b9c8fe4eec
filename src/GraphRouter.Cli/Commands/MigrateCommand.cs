using System.CommandLine;

namespace GraphRouter.Cli.Commands;

/// <summary><c>graphrouter migrate</c>: applies the store's pending schema migrations.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var store = StoreOption.Create();
        var command = new Command("migrate", $"Create or upgrade the store's schema (graph-schema/ migrations), idempotently. {ExitCodes.Help}") { store };
        command.SetAction((parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var location = parse.GetRequiredValue(store);
            return StoreCommandRunner.RunAsync(location, output, parse.InvocationConfiguration.Error, async (graph, token) =>
            {
                var applied = await graph.MigrateAsync(token);
                await output.WriteLineAsync(applied.Count == 0
                    ? $"{graph.Location}: schema is up to date"
                    : $"{graph.Location}: applied migration(s) {string.Join(", ", applied)}");
                return ExitCodes.Ok;
            }, ct);
        });
        return command;
    }
}
