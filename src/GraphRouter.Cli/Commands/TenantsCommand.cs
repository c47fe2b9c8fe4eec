using System.CommandLine;
using System.Globalization;
using GraphRouter.Storage;
using GraphRouter.Storage.Tenancy;

namespace GraphRouter.Cli.Commands;

/// <summary>
/// <c>graphrouter tenants create|list|set-cost-weight</c>: the tenants of a store. A tenant owns its users, their
/// feedback and its API keys (<c>graphrouter keys create --tenant</c>); its default costWeight, when set, is what its
/// routes without one use instead of the deployment's. Running instances follow every change through the store's
/// change feed. Tenants are managed here only, never through the API.
/// </summary>
internal static class TenantsCommand
{
    public static Command Create() =>
        new("tenants", $"Create or list tenants, or set a tenant's default costWeight. A tenant's API keys see only its own users and feedback. {ExitCodes.Help}")
        {
            CreateTenant(),
            List(),
            SetCostWeight(),
        };

    private static Argument<string> Name() => new("name")
    {
        Description = $"The tenant id: 1 to {Tenants.MaxLength} letters, digits, '-', '_' or '.'.",
        CustomParser = TenantOption.Parse,
    };

    private static Command CreateTenant()
    {
        var store = StoreOption.Create();
        var name = Name();
        var costWeight = new Option<double?>("--cost-weight") { Description = "The tenant's default costWeight (a finite number >= 0); default: none, its routes use the deployment's." };
        var command = new Command("create", "Create a tenant.") { name, costWeight, store };
        command.SetAction((parse, ct) => Run(parse, store, async (graph, output, t) =>
        {
            var created = await graph.CreateTenantAsync(parse.GetRequiredValue(name), parse.GetValue(costWeight), t);
            await output.WriteLineAsync($"created tenant '{created.Id}' (default costWeight {Describe(created.DefaultCostWeight)})");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command List()
    {
        var store = StoreOption.Create();
        var command = new Command("list", "List the tenants: id, default costWeight (- : the deployment's), created.") { store };
        command.SetAction((parse, ct) => Run(parse, store, async (graph, output, t) =>
        {
            await output.WriteLineAsync($"{"tenant",-24} {"costWeight",-12} created");
            foreach (var tenant in await graph.GetTenantsAsync(t))
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{tenant.Id,-24} {(tenant.DefaultCostWeight is { } w ? w.ToString("R", CultureInfo.InvariantCulture) : "-"),-12} {tenant.Created.UtcDateTime:yyyy-MM-dd HH:mm:ssZ}"));
            }
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command SetCostWeight()
    {
        var store = StoreOption.Create();
        var name = Name();
        var weight = new Argument<double?>("cost-weight") { Description = "The tenant's default costWeight (a finite number >= 0).", Arity = ArgumentArity.ZeroOrOne };
        var clear = new Option<bool>("--clear") { Description = "Remove the tenant's default: its routes use the deployment's again." };
        var command = new Command("set-cost-weight", "Set (or, with --clear, remove) a tenant's default costWeight; running instances follow within about a second.")
        {
            name, weight, clear, store,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(weight) is null) == !result.GetValue(clear))
            {
                result.AddError("give the tenant's new default costWeight or --clear, not both and not neither");
            }
        });
        command.SetAction((parse, ct) => Run(parse, store, async (graph, output, t) =>
        {
            var updated = await graph.SetTenantCostWeightAsync(parse.GetRequiredValue(name), parse.GetValue(clear) ? null : parse.GetValue(weight), t);
            await output.WriteLineAsync($"tenant '{updated.Id}': default costWeight {Describe(updated.DefaultCostWeight)}");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static string Describe(double? weight) =>
        weight is { } w ? w.ToString("R", CultureInfo.InvariantCulture) : "none (the deployment's)";

    /// <summary>Opens and migrates the store, runs the work; a tenant that exists or is unknown is bad data (nothing written), a bad value a usage error.</summary>
    private static Task<int> Run(ParseResult parse, Option<StoreLocation> store, Func<IGraphStore, TextWriter, CancellationToken, Task<int>> work, CancellationToken ct)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        return StoreCommandRunner.RunMigratedAsync(parse.GetRequiredValue(store), output, error, (graph, t) => work(graph, output, t), ct);
    }
}
