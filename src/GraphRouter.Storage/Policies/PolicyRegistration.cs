using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphRouter.Storage.Policies;

/// <summary>
/// A policy version to register. The manifest (with the SHA-256 of every file) identifies the artifact:
/// registering a version again with an equal manifest is idempotent (an identical registration writes
/// nothing; a new path or new metrics replace the stored ones, the artifact having moved or been
/// re-evaluated; the stored creation time stays), with another manifest a conflict.
/// </summary>
public sealed record PolicyRegistration
{
    public required string Version { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required string Path { get; init; }

    /// <summary>A JSON object; compared by value (whitespace and key order do not matter).</summary>
    public required string ManifestJson { get; init; }

    /// <summary>A JSON document, or null.</summary>
    public string? MetricsJson { get; init; }

    /// <summary>Refuses an empty version or path and JSON that does not parse.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Version) || Version.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("policy registration: the version is empty or contains a NUL character", "policy");
        }
        if (string.IsNullOrWhiteSpace(Path) || Path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"policy registration '{Version}': the path is empty or contains a NUL character", "policy");
        }
        if (ParseJson(ManifestJson, "manifest") is not JsonObject)
        {
            throw new ArgumentException($"policy registration '{Version}': the manifest is not a JSON object", "policy");
        }
        if (MetricsJson is not null)
        {
            ParseJson(MetricsJson, "metrics");
        }
    }

    private JsonNode? ParseJson(string? json, string what)
    {
        try
        {
            return JsonNode.Parse(json ?? throw new ArgumentException($"policy registration '{Version}': no {what}"));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"policy registration '{Version}': the {what} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Whether two JSON texts hold the same value (whitespace and object key order aside); null equals null only.</summary>
    internal static bool SameJson(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }
        return JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b));
    }
}
