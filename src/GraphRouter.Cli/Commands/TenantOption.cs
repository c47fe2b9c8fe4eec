using System.CommandLine;
using System.CommandLine.Parsing;
using GraphRouter.Storage.Tenancy;

namespace GraphRouter.Cli.Commands;

/// <summary>The <c>--tenant</c> option of the commands that act for one tenant; an invalid tenant id is a usage error.</summary>
internal static class TenantOption
{
    public static Option<string> Create(string description) => new("--tenant")
    {
        Description = $"{description} 1 to {Tenants.MaxLength} letters, digits, '-', '_' or '.'. Default: {Tenants.Default}.",
        HelpName = "TENANT",
        CustomParser = Parse,
        DefaultValueFactory = _ => Tenants.Default,
    };

    /// <summary>A tenant id from the command line: valid, or the parse fails with the reason (exit 2).</summary>
    public static string Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (!Tenants.IsValid(text))
        {
            result.AddError($"tenant '{text}' is not valid: use 1 to {Tenants.MaxLength} letters, digits, '-', '_' or '.'");
        }
        return text;
    }

    /// <summary>
    /// Null when <paramref name="tenant"/> exists in the store; else writes why (and how to create it) and returns
    /// <see cref="ExitCodes.BadData"/>: nothing was done.
    /// </summary>
    public static async Task<int?> RequireExistingAsync(Storage.IGraphStore store, string tenant, TextWriter error, CancellationToken cancellationToken)
    {
        if (await store.GetTenantAsync(tenant, cancellationToken) is not null)
        {
            return null;
        }
        await error.WriteLineAsync($"tenant '{tenant}' does not exist; create it with 'graphrouter tenants create {tenant}'. Nothing was done.");
        return ExitCodes.BadData;
    }
}
