using System.CommandLine;
using GraphRouter.Storage;

namespace GraphRouter.Cli.Commands;

/// <summary>The <c>--store</c> option every command takes; a string that names no store is a usage error.</summary>
internal static class StoreOption
{
    public static Option<StoreLocation> Create() => new("--store")
    {
        Description = $"Where the graph is stored: {StoreLocation.Syntax}. Default: a SQLite file in the user's local data folder (graphrouter/graphrouter.db).",
        HelpName = "sqlite:PATH|postgres:CONNSTRING",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            try
            {
                return StoreLocation.Parse(text);
            }
            catch (FormatException e)
            {
                result.AddError(e.Message);
                return null;
            }
        },
        DefaultValueFactory = _ => StoreLocation.Default(),
    };
}
