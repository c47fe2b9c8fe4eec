using System.CommandLine;
using System.Diagnostics;
using GraphRouter.Api;
using GraphRouter.Serving;
using GraphRouter.Serving.Engine;
using GraphRouter.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GraphRouter.Cli.Commands;

/// <summary>
/// <c>graphrouter serve</c>: the service. On a fresh store it applies the migrations, imports the bundled
/// dataset and activates the bundled default policy (seconds), then serves GraphQL at /graphql, GraphiQL at
/// /graphiql and health at /healthz and /readyz until stopped (Ctrl-C or SIGTERM).
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var store = StoreOption.Create();
        var urls = new Option<string[]>("--urls")
        {
            Description = "Addresses to listen on (plain HTTP), e.g. http://127.0.0.1:5080 or http://0.0.0.0:8080.",
            DefaultValueFactory = _ => ["http://127.0.0.1:5080"],
            AllowMultipleArgumentsPerToken = true,
        };
        var costWeight = new Option<double?>("--cost-weight") { Description = "Default costWeight for routes that give none; overrides, for this process only, the one 'graphrouter calibrate' stored." };
        var noGraphiql = new Option<bool>("--no-graphiql") { Description = "Do not serve the GraphiQL page." };
        var synchronous = new Option<SqliteSynchronous>("--sqlite-synchronous")
        {
            Description = "SQLite only. Full (default): every acknowledged feedback is on disk before the answer, surviving power loss. " +
                "Normal: it survives a crash of the process but the last commits may be lost with the machine; faster commits.",
            DefaultValueFactory = _ => SqliteSynchronous.Full,
        };
        var logLevel = new Option<LogLevel>("--log-level")
        {
            Description = "Least severe log level written (to stderr). Debug adds one line per route decision with its decision id.",
            DefaultValueFactory = _ => LogLevel.Information,
        };
        var command = new Command("serve", $"Serve the GraphQL API. A fresh store gets the bundled dataset and the bundled default policy first. {ExitCodes.Help}")
        {
            urls, costWeight, noGraphiql, synchronous, logLevel, store,
        };
        command.SetAction((parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var addresses = parse.GetRequiredValue(urls);
            var weight = parse.GetValue(costWeight);
            if (weight is { } w && (!double.IsFinite(w) || w < 0))
            {
                error.WriteLine($"--cost-weight must be a finite number >= 0, got {w}");
                return Task.FromResult(ExitCodes.Usage);
            }
            var graphiql = !parse.GetValue(noGraphiql);
            var options = new GraphStoreOptions { SqliteSynchronous = parse.GetValue(synchronous) };
            var started = Stopwatch.StartNew();
            return StoreCommandRunner.RunAsync(parse.GetRequiredValue(store), options, output, error, (graph, token) =>
                EngineSession.RunAsync(graph, output, error, new EngineOptions(), async (engine, t) =>
                {
                    if (weight is { } explicitWeight)
                    {
                        engine.OverrideDefaultCostWeight(explicitWeight);
                    }
                    await using var app = GraphRouterServer.Build(
                        new GraphRouterServerOptions { Urls = addresses, GraphiQL = graphiql, MinimumLogLevel = parse.GetValue(logLevel) },
                        services => services.AddSingleton<IRouterService>(engine));
                    await app.StartAsync(t);
                    await output.WriteLineAsync(
                        $"graphrouter serving {string.Join(", ", app.Urls)} (GraphQL /graphql{(graphiql ? ", GraphiQL /graphiql" : "")}, /healthz, /readyz); " +
                        $"policy {engine.ActiveVersion ?? "none"}; store {graph.Location}; default costWeight {engine.DefaultCostWeight}; ready in {started.Elapsed.TotalSeconds:0.0} s");
                    await output.FlushAsync(t);
                    await app.WaitForShutdownAsync(t);
                    return ExitCodes.Ok;
                }, token), ct);
        });
        return command;
    }
}
