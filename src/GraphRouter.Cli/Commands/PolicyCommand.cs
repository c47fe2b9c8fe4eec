using System.CommandLine;
using System.Globalization;
using GraphRouter.Serving;
using GraphRouter.Serving.Engine;

namespace GraphRouter.Cli.Commands;

/// <summary><c>graphrouter policy list|activate VERSION|rollback</c>: the registered policies and which is active.</summary>
internal static class PolicyCommand
{
    public static Command Create()
    {
        var command = new Command("policy", $"List, activate or roll back policies. A policy is verified (checksums, files) before it becomes active; a bad one never does. {ExitCodes.Help}")
        {
            List(),
            Activate(),
            Rollback(),
        };
        return command;
    }

    private static Command List()
    {
        var store = StoreOption.Create();
        var command = new Command("list", "List registered policies, newest first, with their validation metrics; * marks the active one.") { store };
        command.SetAction((parse, ct) => Run(parse, store, async (engine, output, t) =>
        {
            foreach (var policy in (await engine.GetPoliciesAsync(t)).OrderByDescending(p => p.Created))
            {
                await output.WriteLineAsync(Line(policy));
            }
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Activate()
    {
        var store = StoreOption.Create();
        var version = new Argument<string>("version") { Description = "A registered policy version." };
        var command = new Command("activate", "Verify a registered policy and make it the active one.") { version, store };
        command.SetAction((parse, ct) => Run(parse, store, async (engine, output, t) =>
        {
            var policy = await engine.ActivatePolicyAsync(parse.GetRequiredValue(version), t);
            await output.WriteLineAsync($"active: {Line(policy)}");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Rollback()
    {
        var store = StoreOption.Create();
        var command = new Command("rollback", "Re-activate the version that was active before the current one.") { store };
        command.SetAction((parse, ct) => Run(parse, store, async (engine, output, t) =>
        {
            var policy = await engine.RollbackPolicyAsync(t);
            await output.WriteLineAsync($"active: {Line(policy)}");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Task<int> Run(ParseResult parse, Option<GraphRouter.Storage.StoreLocation> store, Func<RouterEngine, TextWriter, CancellationToken, Task<int>> work, CancellationToken ct)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        return StoreCommandRunner.RunAsync(parse.GetRequiredValue(store), output, error, (graph, token) =>
            EngineSession.RunAsync(graph, output, error, EngineSession.OneShot, (engine, t) => work(engine, output, t), token), ct);
    }

    private static string Line(PolicyView policy)
    {
        var metrics = string.Join(", ", policy.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key}={m.Value:0.####}")));
        return string.Create(CultureInfo.InvariantCulture, $"{(policy.Active ? "*" : " ")} {policy.Version,-32} created {policy.Created:yyyy-MM-dd HH:mm}Z  {metrics}");
    }
}
