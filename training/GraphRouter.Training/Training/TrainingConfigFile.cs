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
    public static string DefaultPath() => Resolve(DefaultName);

    /// <summary>The config used when none is named.</summary>
    public const string DefaultName = "default";

    /// <summary>
    /// A config given by name or path: a plain name (letters, digits, '.', '_', '-', no ".json") is
    /// <c>training/configs/NAME.json</c>, found walking up from the executable; anything else is a file path.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such config, naming where it was looked for.</exception>
    public static string Resolve(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        if (!IsName(nameOrPath))
        {
            var path = Path.GetFullPath(nameOrPath);
            return File.Exists(path) ? path : throw new FileNotFoundException($"training config {path} does not exist", path);
        }
        var looked = new List<string>();
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "training", "configs", nameOrPath + ".json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
            looked.Add(Path.Combine(dir.FullName, "training", "configs"));
        }
        var known = looked.Where(Directory.Exists).SelectMany(d => Directory.EnumerateFiles(d, "*.json")).Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
        throw new FileNotFoundException(
            $"no training config named '{nameOrPath}' in training/configs above {AppContext.BaseDirectory}" +
            (known.Count > 0 ? $" (known: {string.Join(", ", known)})" : "") + "; pass a path instead");
    }

    /// <summary>Reads a config given by name or path (<see cref="Resolve"/>).</summary>
    public static TrainingConfig ReadNamed(string nameOrPath) => Read(Resolve(nameOrPath));

    private static bool IsName(string text) =>
        !text.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
        && char.IsAsciiLetterOrDigit(text[0])
        && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
