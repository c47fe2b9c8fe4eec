using System.CommandLine;
using GraphRouter.Api.Security;
using GraphRouter.Storage;
using GraphRouter.Storage.ApiKeys;

namespace GraphRouter.Cli.Commands;

/// <summary>
/// <c>graphrouter keys create|list|revoke</c>: the API keys of a store. <c>create</c> prints the new key once, alone on
/// stdout (so <c>KEY=$(graphrouter keys create ...)</c> captures it), and stores only its SHA-256; every key belongs to
/// a tenant (<c>--tenant</c>, default <c>default</c>), whose users alone its requests see; <c>list</c> never shows a
/// key, only ids, names, roles, tenants and times. Every instance on the store sees a change within its key cache
/// time (10 s by default).
/// </summary>
internal static class KeysCommand
{
    public static Command Create() =>
        new("keys", $"Create, list or revoke API keys (roles: app = route, feedback and reads; admin = everything). {ExitCodes.Help}")
        {
            CreateKey(),
            List(),
            Revoke(),
        };

    private static Command CreateKey()
    {
        var store = StoreOption.Create();
        var name = new Option<string>("--name") { Description = "A label for the key, unique among keys not revoked: letters, digits, '-', '_', '.'.", Required = true };
        var role = new Option<string>("--role") { Description = "app (route, submitFeedback, models, user, policy) or admin (everything).", Required = true };
        role.AcceptOnlyFromAmong([.. ApiKeyRoles.Names]);
        var tenant = TenantOption.Create("The tenant the key belongs to: its requests see and change only this tenant's users and feedback (it must exist: 'graphrouter tenants create').");
        var command = new Command("create", "Create a key and print it once; only its hash is stored.") { name, role, tenant, store };
        command.SetAction((parse, ct) => Run(parse, store, async (graph, output, error, t) =>
        {
            var roleName = parse.GetRequiredValue(role);
            var parsedRole = ApiKeyRoles.TryParse(roleName, out var r) ? r : throw new ArgumentException($"--role must be app or admin, got '{roleName}'");
            var secret = ApiKeySecret.Generate();
            var created = await graph.CreateApiKeyAsync(
                new ApiKeyRegistration { Name = parse.GetRequiredValue(name), Role = parsedRole, Tenant = parse.GetRequiredValue(tenant), SecretHash = ApiKeySecret.Hash(secret) }, t);
            await output.WriteLineAsync(secret);
            await error.WriteLineAsync($"created {ApiKeyRoles.Name(created.Role)} key '{created.Name}' ({created.Id}) of tenant '{created.Tenant}'. The key above is shown only this once; the store keeps only its hash. Send it as 'Authorization: Bearer KEY'.");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command List()
    {
        var store = StoreOption.Create();
        var command = new Command("list", "List the keys (never the keys themselves): id, name, role, tenant, created, revoked.") { store };
        command.SetAction((parse, ct) => Run(parse, store, async (graph, output, _, t) =>
        {
            var keys = await graph.GetApiKeysAsync(t);
            await output.WriteLineAsync($"{"id",-16} {"name",-24} {"role",-5} {"tenant",-16} {"created",-20} revoked");
            foreach (var key in keys)
            {
                await output.WriteLineAsync($"{key.Id,-16} {key.Name,-24} {ApiKeyRoles.Name(key.Role),-5} {key.Tenant,-16} {key.Created.UtcDateTime,-20:yyyy-MM-dd HH:mm:ssZ} {(key.Revoked is { } revoked ? revoked.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) : "-")}");
            }
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Revoke()
    {
        var store = StoreOption.Create();
        var key = new Argument<string>("key") { Description = "The key's id (key_...) or the name of a key not revoked." };
        var command = new Command("revoke", "Revoke a key: it authenticates nothing from then on (on every instance within its key cache time).") { key, store };
        command.SetAction((parse, ct) => Run(parse, store, async (graph, output, _, t) =>
        {
            var revoked = await graph.RevokeApiKeyAsync(parse.GetRequiredValue(key), t);
            await output.WriteLineAsync($"revoked {ApiKeyRoles.Name(revoked.Role)} key '{revoked.Name}' ({revoked.Id}) at {revoked.Revoked!.Value.UtcDateTime:yyyy-MM-dd HH:mm:ssZ}");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>Opens and migrates the store, runs the work; a conflict, an unknown key or an unknown tenant is bad data (nothing written), a bad name a usage error.</summary>
    private static Task<int> Run(ParseResult parse, Option<StoreLocation> store, Func<IGraphStore, TextWriter, TextWriter, CancellationToken, Task<int>> work, CancellationToken ct)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        return StoreCommandRunner.RunMigratedAsync(parse.GetRequiredValue(store), output, error, (graph, t) => work(graph, output, error, t), ct);
    }
}
