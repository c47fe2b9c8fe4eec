using System.CommandLine;

namespace GraphRouter.Cli.Commands;

/// <summary><c>graphrouter stats</c>: counts per node type and edge type, and interactions.</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var store = StoreOption.Create();
        var command = new Command("stats", $"Print the store's counts per node type and per edge type, and its interactions. {ExitCodes.Help}") { store };
        command.SetAction((parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var location = parse.GetRequiredValue(store);
            return StoreCommandRunner.RunAsync(location, output, parse.InvocationConfiguration.Error, async (graph, token) =>
            {
                await graph.MigrateAsync(token);
                var stats = await graph.GetStatsAsync(token);
                await output.WriteLineAsync($"store {graph.Location}");
                await output.WriteLineAsync("nodes");
                foreach (var node in stats.Nodes)
                {
                    await output.WriteLineAsync($"  {node.Type,-28} {node.Count,12:N0}");
                }
                await output.WriteLineAsync("edges");
                foreach (var edge in stats.Edges)
                {
                    await output.WriteLineAsync($"  {edge.Name + " (" + edge.Relation + ")",-28} {edge.Count,12:N0}");
                }
                await output.WriteLineAsync($"{"interactions",-30} {stats.Interactions,12:N0}");
                // Every Turn is one rated response: a user's rating of one model's answer.
                var ratedResponses = stats.Nodes.Where(n => n.Type == "Turn").Sum(n => n.Count);
                await output.WriteLineAsync($"{"rated responses",-30} {ratedResponses,12:N0}");
                return ExitCodes.Ok;
            }, ct);
        });
        return command;
    }
}
