using System.Text.Json;

namespace GraphRouter.Cli.Commands;

/// <summary>JSON output of commands: camelCase like the GraphQL API, indented for people.</summary>
internal static class CliJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
