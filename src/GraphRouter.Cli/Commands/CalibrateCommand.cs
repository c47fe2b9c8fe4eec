using System.CommandLine;
using System.Globalization;
using GraphRouter.Core.Datasets;
using GraphRouter.Serving.Engine;

namespace GraphRouter.Cli.Commands;

/// <summary>
/// <c>graphrouter calibrate --target-share S (--expensive M... | --above-usd X) [--tenant T]</c>: RouteLLM's threshold
/// calibration. Finds the costWeight at which a share S of the bundled dataset's prompts is routed to the
/// expensive models (for a user with no history: the policy's cold-start prior stands for the population),
/// stores it as the deployment's default (with <c>--tenant</c>: as that tenant's default, which its routes use
/// instead), and prints what it achieved.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var store = StoreOption.Create();
        var share = new Option<double>("--target-share") { Description = "The share of traffic, in [0, 1], that may go to the expensive models.", Required = true };
        var expensive = new Option<string[]>("--expensive") { Description = "The expensive models, by name (repeat or list).", AllowMultipleArgumentsPerToken = true };
        var above = new Option<double?>("--above-usd") { Description = "Or: every model whose mean expected cost per prompt exceeds this many USD is expensive." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the calibrated costWeight without storing it." };
        var tenant = new Option<string?>("--tenant")
        {
            Description = "Store the result as this tenant's default costWeight (its routes use it instead of the deployment's); without it, as the deployment's default.",
            HelpName = "TENANT",
            CustomParser = TenantOption.Parse,
        };
        var command = new Command("calibrate", $"Calibrate the default costWeight so that a target share of the bundled prompts goes to the expensive models, and store it. {ExitCodes.Help}")
        {
            share, expensive, above, dryRun, tenant, store,
        };
        command.SetAction((parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var named = parse.GetValue(expensive) is { Length: > 0 } e ? e : null;
            var tenantId = parse.GetValue(tenant);
            return StoreCommandRunner.RunAsync(parse.GetRequiredValue(store), output, error, (graph, token) =>
                EngineSession.RunAsync(graph, output, error, EngineSession.OneShot, async (engine, t) =>
                {
                    if (tenantId is not null && await TenantOption.RequireExistingAsync(graph, tenantId, error, t) is { } missing)
                    {
                        return missing;
                    }
                    var prompts = RouterBenchReader.Load(EngineSession.BundledAssets().Dataset).Queries.Select(q => q.Text).ToList();
                    var result = engine.Calibrate(prompts, parse.GetValue(share), named, parse.GetValue(above));
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"expensive models: {string.Join(", ", result.ExpensiveModels)}"));
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"costWeight {result.CostWeight:G6}: {result.AchievedShare:P1} of {result.Queries:N0} prompts to expensive models (target {result.TargetShare:P1}; {result.ShareAtZero:P1} at costWeight 0; {result.Evaluations} evaluations)"));
                    if (parse.GetValue(dryRun))
                    {
                        await output.WriteLineAsync("dry run: the default costWeight was not changed");
                    }
                    else if (tenantId is not null)
                    {
                        await engine.SetTenantDefaultCostWeightAsync(tenantId, result.CostWeight, t);
                        await output.WriteLineAsync($"stored as the default costWeight of tenant '{tenantId}' in {graph.Location}");
                    }
                    else
                    {
                        await engine.SetDefaultCostWeightAsync(result.CostWeight, t);
                        await output.WriteLineAsync($"stored as the default costWeight of {graph.Location}");
                    }
                    return ExitCodes.Ok;
                }, token), ct);
        });
        return command;
    }
}
