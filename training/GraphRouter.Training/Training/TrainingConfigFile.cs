using System.Text.Json;
using System.Text.Json.Serialization;

namespace GraphRouter.Training.Training;

/// <summary>Reads and writes <see cref="TrainingConfig"/> as JSON (camelCase, comments allowed; unknown keys are errors).</summary>
public static class TrainingConfigFile
{
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static TrainingConfig Read(string path) =>
        JsonSerializer.Deserialize<TrainingConfig>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path}: empty training config");

    public static void Write(string path, TrainingConfig config) =>
        File.WriteAllText(path, JsonSerializer.Serialize(config, Json) + "\n");

    /// <summary>training/configs/default.json, found walking up from the executable (like the bundled data).</summary>
    public static string DefaultPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "training", "configs", "default.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("training/configs/default.json not found above the executable; pass --config");
    }
}
