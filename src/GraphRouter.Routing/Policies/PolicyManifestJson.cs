using System.Text.Json;

namespace GraphRouter.Routing.Policies;

/// <summary>The one JSON shape of <c>manifest.json</c> (camelCase, indented).</summary>
internal static class PolicyManifestJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
