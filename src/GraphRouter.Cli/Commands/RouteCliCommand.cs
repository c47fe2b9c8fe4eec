using System.CommandLine;
using System.Globalization;
using GraphRouter.Serving;
using GraphRouter.Serving.Engine;

namespace GraphRouter.Cli.Commands;

/// <summary><c>graphrouter route --user U --query Q [--tenant T]</c>: one routing decision for a tenant's user, printed for a person (or as JSON).</summary>
internal static class RouteCliCommand
{
    public static Command Create()
    {
        var store = StoreOption.Create();
        var user = new Option<string>("--user") { Description = "The application's user id (unknown users get the cold-start prior).", Required = true };
        var query = new Option<string>("--query") { Description = "The query text to route.", Required = true };
        var candidates = new Option<string[]>("--candidate") { Description = "Allowed model (repeat for several); default: every registered, available model.", AllowMultipleArgumentsPerToken = true };
        var costWeight = new Option<double?>("--cost-weight") { Description = "lambda in utility = probability - lambda * expected cost (USD); default: the tenant's default, else the deployment's." };
        var maxCost = new Option<double?>("--max-cost-usd") { Description = "Exclude models whose expected cost exceeds this many USD." };
        var json = new Option<bool>("--json") { Description = "Print the decision as JSON (the GraphQL RouteDecision's shape)." };
        var tenant = TenantOption.Create("The tenant whose user is routed (and whose default costWeight applies).");
        var command = new Command("route", $"Route one query for one user with the active policy and print the decision. {ExitCodes.Help}")
        {
            user, query, candidates, costWeight, maxCost, json, tenant, store,
        };
        command.SetAction((parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var request = new RouteCommand
            {
                UserId = parse.GetRequiredValue(user),
                Query = parse.GetRequiredValue(query),
                Candidates = parse.GetValue(candidates) is { Length: > 0 } c ? c : null,
                CostWeight = parse.GetValue(costWeight),
                MaxCostUsd = parse.GetValue(maxCost),
            };
            var asJson = parse.GetValue(json);
            var tenantId = parse.GetRequiredValue(tenant);
            return StoreCommandRunner.RunAsync(parse.GetRequiredValue(store), output, error, (graph, token) =>
                EngineSession.RunAsync(graph, output, error, EngineSession.OneShot, async (engine, t) =>
                {
                    if (await TenantOption.RequireExistingAsync(graph, tenantId, error, t) is { } missing)
                    {
                        return missing;
                    }
                    var decision = await engine.RouteAsync(tenantId, request, t);
                    await output.WriteLineAsync(asJson ? CliJson.Serialize(decision) : Describe(decision));
                    return ExitCodes.Ok;
                }, token), ct);
        });
        return command;
    }

    private static string Describe(RouteResult decision)
    {
        var lines = new List<string>
        {
            $"model: {decision.Model}",
            $"policy {decision.PolicyVersion}; user {(decision.UserKnown ? "known" : "unknown")} ({decision.UserInteractions} interactions); decision {decision.DecisionId}",
            $"{"candidate",-28} {"score",8} {"prob",7} {"cost USD",12} {"utility",8}",
        };
        lines.AddRange(decision.Ranking.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Model,-28} {s.Score,8:0.000} {s.Probability,7:0.000} {(s.ExpectedCostUsd is { } c ? c.ToString("0.000000", CultureInfo.InvariantCulture) : "unknown"),12} {s.Utility,8:0.000}")));
        if (decision.FallbackFrom.Count > 0)
        {
            lines.Add($"fallback from: {string.Join(", ", decision.FallbackFrom)}");
        }
        lines.Add($"why: {decision.Explanation}");
        return string.Join(Environment.NewLine, lines);
    }
}
