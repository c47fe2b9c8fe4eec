using System.Text.Json;

namespace GraphRouter.Training.Retraining;

/// <summary>
/// What one retraining run is asked to do: the run record's config JSON, as the API's <c>startTraining</c> queues it
/// (<c>{"config": name-or-path | null, "warmStart": bool | null}</c>) and as a direct <c>retrain</c> writes it.
/// </summary>
public sealed record RetrainRequest
{
    /// <summary>A config name (<c>training/configs/NAME.json</c>) or path; null: the worker's default.</summary>
    public string? Config { get; init; }

    /// <summary>Start from the active policy's weights; null: as the config says (<c>retrain.warmStart</c>).</summary>
    public bool? WarmStart { get; init; }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The run record's config JSON.</summary>
    public string ToRunConfig() => JsonSerializer.Serialize(new RunConfig(Config, WarmStart), Json);

    /// <summary>Reads a run record's config JSON; other keys (a note) are ignored.</summary>
    /// <exception cref="InvalidDataException">Not a JSON object, or config / warmStart of the wrong type.</exception>
    public static RetrainRequest FromRunConfig(string configJson)
    {
        ArgumentNullException.ThrowIfNull(configJson);
        try
        {
            using var document = JsonDocument.Parse(configJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"the run's config is not a JSON object: {Clip(configJson)}");
            }
            string? config = null;
            bool? warmStart = null;
            if (root.TryGetProperty("config", out var c) && c.ValueKind != JsonValueKind.Null)
            {
                config = c.ValueKind == JsonValueKind.String ? c.GetString() : throw new InvalidDataException($"the run's config.config is not a string: {Clip(configJson)}");
                config = string.IsNullOrWhiteSpace(config) ? null : config;
            }
            if (root.TryGetProperty("warmStart", out var w) && w.ValueKind != JsonValueKind.Null)
            {
                warmStart = w.ValueKind is JsonValueKind.True or JsonValueKind.False ? w.GetBoolean() : throw new InvalidDataException($"the run's config.warmStart is not a boolean: {Clip(configJson)}");
            }
            return new RetrainRequest { Config = config, WarmStart = warmStart };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the run's config is not JSON: {e.Message}", e);
        }
    }

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "...";

    private sealed record RunConfig(string? Config, bool? WarmStart);
}
