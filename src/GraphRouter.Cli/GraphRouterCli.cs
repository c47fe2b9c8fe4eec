using System.CommandLine;
using GraphRouter.Cli.Commands;

namespace GraphRouter.Cli;

/// <summary>The <c>graphrouter</c> command tree and its entry point, callable in-process with any output writers.</summary>
public static class GraphRouterCli
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand($"graphrouter: the GraphRouter service side (store, import, serving). {ExitCodes.Help}")
        {
            MigrateCommand.Create(),
            ImportCommand.Create(),
            StatsCommand.Create(),
            ServeCommand.Create(),
            RouteCliCommand.Create(),
            PolicyCommand.Create(),
            CalibrateCommand.Create(),
            KeysCommand.Create(),
            TenantsCommand.Create(),
        };
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var parse = BuildRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync(problem.Message);
            }
            await error.WriteLineAsync("see 'graphrouter --help'");
            return ExitCodes.Usage;
        }
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        return await parse.InvokeAsync(configuration, cancellationToken);
    }
}
