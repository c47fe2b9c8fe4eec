using System.Text.Json;

namespace GraphRouter.Storage;

/// <summary>The keys of the <c>settings</c> table the service uses, and the checks every store applies before writing one.</summary>
public static class StoreSettings
{
    /// <summary>The deployment's default costWeight (a JSON number), set by <c>graphrouter calibrate</c>.</summary>
    public const string DefaultCostWeight = "routing.defaultCostWeight";

    internal static void ValidateKey(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200 || key.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("a setting key must be 1 to 200 characters without NUL", nameof(key));
        }
    }

    internal static void ValidateJson(string key, string valueJson)
    {
        ArgumentNullException.ThrowIfNull(valueJson);
        try
        {
            using var _ = JsonDocument.Parse(valueJson);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"setting '{key}': the value is not valid JSON: {e.Message}", nameof(valueJson), e);
        }
        if (valueJson.Contains("\\u0000", StringComparison.Ordinal))
        {
            throw new ArgumentException($"setting '{key}': the value contains a NUL escape", nameof(valueJson));
        }
    }
}
