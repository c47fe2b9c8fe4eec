using System.Text.Json;

namespace GraphRouter.Storage.TrainingRuns;

/// <summary>What both stores agree on when queueing a run: the config must be JSON, the id is a time-ordered UUID.</summary>
internal static class TrainingRunQueue
{
    public static void ValidateConfig(string configJson)
    {
        ArgumentNullException.ThrowIfNull(configJson);
        try
        {
            using var _ = JsonDocument.Parse(configJson);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"training run: the config is not valid JSON: {e.Message}", nameof(configJson), e);
        }
        if (configJson.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("training run: the config contains a NUL character", nameof(configJson));
        }
    }

    /// <summary>A UUID version 7 (its leading bits are the creation time), so ids of runs sort roughly by age.</summary>
    public static string NewId(DateTimeOffset created) => Guid.CreateVersion7(created).ToString();
}
