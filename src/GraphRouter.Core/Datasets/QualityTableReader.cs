using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using GraphRouter.Core.Domain;

namespace GraphRouter.Core.Datasets;

/// <summary>Reads the llmrouter-dc folder: <c>llms.json</c> (catalog), <c>train.json</c> and <c>test.json</c> (quality rows).</summary>
public static partial class QualityTableReader
{
    public static QualityTable Load(string folder)
    {
        var catalog = ReadCatalog(Path.Combine(folder, "llms.json"));
        var known = catalog.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        var train = ReadRows(Path.Combine(folder, "train.json"), "train", known);
        var test = ReadRows(Path.Combine(folder, "test.json"), "test", known);
        return new QualityTable(catalog, train, test);
    }

    private static List<LlmInfo> ReadCatalog(string path)
    {
        using var doc = Parse(path);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new DatasetFormatException(Path.GetFileName(path), null, "the catalog must be an object keyed by LLM name");
        }
        var file = Path.GetFileName(path);
        var llms = new List<LlmInfo>();
        foreach (var entry in doc.RootElement.EnumerateObject())
        {
            var e = entry.Value;
            llms.Add(new LlmInfo
            {
                Name = entry.Name,
                Vendor = RouterBenchReader.OptionalString(e, "service") ?? "",
                Description = RouterBenchReader.OptionalString(e, "feature") ?? "",
                InputPricePerMillion = RouterBenchReader.RequiredNumber(e, "input_price", file, null),
                OutputPricePerMillion = RouterBenchReader.RequiredNumber(e, "output_price", file, null),
            });
        }
        return llms;
    }

    private static List<QualityRow> ReadRows(string path, string split, HashSet<string> known)
    {
        using var doc = Parse(path);
        var file = Path.GetFileName(path);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new DatasetFormatException(file, null, "expected an array of {question, scores}");
        }
        var rows = new List<QualityRow>();
        var index = 0;
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            var question = RouterBenchReader.RequiredString(e, "question", file, null);
            if (!e.TryGetProperty("scores", out var s))
            {
                throw new DatasetFormatException(file, null, $"row {index}: missing 'scores'");
            }
            var scores = s.ValueKind switch
            {
                JsonValueKind.Object => s.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal),
                // The published files hold the scores as a Python dict literal: {'model': 0.0, ...}.
                JsonValueKind.String => ParsePythonDict(s.GetString()!, file, index),
                _ => throw new DatasetFormatException(file, null, $"row {index}: 'scores' must be an object"),
            };
            foreach (var name in scores.Keys)
            {
                if (!known.Contains(name))
                {
                    throw new DatasetFormatException(file, null, $"row {index}: LLM '{name}' is not in the catalog");
                }
            }
            rows.Add(new QualityRow($"{split}-{index}", question, scores));
            index++;
        }
        return rows;
    }

    private static Dictionary<string, double> ParsePythonDict(string text, string file, int index)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match m in PythonDictEntry().Matches(text))
        {
            var value = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            if (!double.IsFinite(value) || value < 0 || value > 1)
            {
                throw new DatasetFormatException(file, null, $"row {index}: score {value} is outside [0, 1]");
            }
            scores[m.Groups[1].Value] = value;
        }
        if (scores.Count == 0)
        {
            throw new DatasetFormatException(file, null, $"row {index}: no scores");
        }
        return scores;
    }

    private static JsonDocument Parse(string path)
    {
        if (!File.Exists(path))
        {
            throw new DatasetFormatException(path, null, "missing file");
        }
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException(Path.GetFileName(path), (int?)(e.LineNumber + 1), $"malformed JSON: {e.Message}", e);
        }
    }

    [GeneratedRegex(@"'([^']+)'\s*:\s*([-+0-9.eE]+)")]
    private static partial Regex PythonDictEntry();
}
