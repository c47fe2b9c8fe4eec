using System.Globalization;
using System.Text.Json;
using GraphRouter.Core.Domain;

namespace GraphRouter.Core.Datasets;

/// <summary>
/// Reads and validates a dataset folder in the routerbench format (dataset.json, llms.jsonl,
/// queries.jsonl, outcomes.jsonl, interactions.jsonl). Any problem is a <see cref="DatasetFormatException"/>
/// naming the file and line; nothing is returned half-read.
/// </summary>
public static class RouterBenchReader
{
    public const string DatasetFile = "dataset.json";
    public const string LlmsFile = "llms.jsonl";
    public const string QueriesFile = "queries.jsonl";
    public const string OutcomesFile = "outcomes.jsonl";
    public const string InteractionsFile = "interactions.jsonl";

    public static PreferenceDataset Load(string folder, IProgress<string>? progress = null)
    {
        if (!Directory.Exists(folder))
        {
            throw new DatasetFormatException(folder, null, "no such dataset folder");
        }

        var (name, version, scale, tasks) = ReadHeader(Path.Combine(folder, DatasetFile));
        progress?.Report($"{DatasetFile}: {name} v{version}, ratings {scale.Min}..{scale.Max}");

        var llms = new List<LlmInfo>();
        var llmNames = new HashSet<string>(StringComparer.Ordinal);
        ReadLines(Path.Combine(folder, LlmsFile), (root, file, line) =>
        {
            var llm = new LlmInfo
            {
                Name = RequiredString(root, "name", file, line),
                Vendor = OptionalString(root, "vendor") ?? "",
                Description = OptionalString(root, "description") ?? "",
                InputPricePerMillion = OptionalNumber(root, "inputPricePerMillion", file, line),
                OutputPricePerMillion = OptionalNumber(root, "outputPricePerMillion", file, line),
            };
            if (!llmNames.Add(llm.Name))
            {
                throw new DatasetFormatException(file, line, $"duplicate LLM '{llm.Name}'");
            }
            llms.Add(llm);
        });
        progress?.Report($"{LlmsFile}: {llms.Count} LLMs");

        var queries = new List<QueryInfo>();
        var queryIds = new HashSet<string>(StringComparer.Ordinal);
        ReadLines(Path.Combine(folder, QueriesFile), (root, file, line) =>
        {
            var query = new QueryInfo
            {
                Id = RequiredString(root, "id", file, line),
                Task = OptionalString(root, "task") ?? "",
                Text = RequiredString(root, "text", file, line),
            };
            if (!queryIds.Add(query.Id))
            {
                throw new DatasetFormatException(file, line, $"duplicate query id '{query.Id}'");
            }
            queries.Add(query);
        });
        progress?.Report($"{QueriesFile}: {queries.Count} queries");

        var outcomes = new List<Outcome>();
        var outcomeKeys = new HashSet<(string, string)>();
        ReadLines(Path.Combine(folder, OutcomesFile), (root, file, line) =>
        {
            var outcome = new Outcome
            {
                QueryId = KnownQuery(RequiredString(root, "query", file, line), queryIds, file, line),
                Llm = KnownLlm(RequiredString(root, "llm", file, line), llmNames, file, line),
                Score = RequiredNumber(root, "score", file, line),
                CostUsd = RequiredNumber(root, "costUsd", file, line),
                Response = RequiredString(root, "response", file, line, allowEmpty: true),
            };
            if (outcome.CostUsd < 0)
            {
                throw new DatasetFormatException(file, line, $"negative costUsd {outcome.CostUsd}");
            }
            if (!outcomeKeys.Add((outcome.QueryId, outcome.Llm)))
            {
                throw new DatasetFormatException(file, line, $"duplicate outcome for ({outcome.QueryId}, {outcome.Llm})");
            }
            outcomes.Add(outcome);
        });
        progress?.Report($"{OutcomesFile}: {outcomes.Count} responses");

        var interactions = new List<Interaction>();
        var interactionKeys = new HashSet<(string, string, int)>();
        ReadLines(Path.Combine(folder, InteractionsFile), (root, file, line) =>
        {
            var interaction = ReadInteraction(root, file, line, scale, queryIds, llmNames, outcomeKeys);
            if (!interactionKeys.Add((interaction.User, interaction.Conversation, interaction.Step)))
            {
                throw new DatasetFormatException(file, line,
                    $"duplicate interaction (user {interaction.User}, conversation {interaction.Conversation}, step {interaction.Step})");
            }
            interactions.Add(interaction);
        });
        progress?.Report($"{InteractionsFile}: {interactions.Count} interactions");

        // Group by user, keeping each user's file order (time order) and users in order of first appearance.
        var ordered = interactions.GroupBy(i => i.User, StringComparer.Ordinal).SelectMany(g => g).ToList();
        return new PreferenceDataset(name, version, scale, llms, tasks, queries, outcomes, ordered);
    }

    private static Interaction ReadInteraction(
        JsonElement root, string file, int line, RatingScale scale,
        HashSet<string> queryIds, HashSet<string> llmNames, HashSet<(string, string)> outcomeKeys)
    {
        var user = RequiredString(root, "user", file, line);
        var query = KnownQuery(RequiredString(root, "query", file, line), queryIds, file, line);
        var step = (int)RequiredNumber(root, "step", file, line);
        if (step < 0)
        {
            throw new DatasetFormatException(file, line, $"negative step {step}");
        }
        var timestampText = RequiredString(root, "timestamp", file, line);
        if (!DateTimeOffset.TryParse(timestampText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
        {
            throw new DatasetFormatException(file, line, $"timestamp '{timestampText}' is not an ISO 8601 date");
        }
        if (!root.TryGetProperty("ratings", out var ratingsElement) || ratingsElement.ValueKind != JsonValueKind.Array)
        {
            throw new DatasetFormatException(file, line, "missing array 'ratings'");
        }
        var ratings = new List<RatedLlm>(ratingsElement.GetArrayLength());
        foreach (var r in ratingsElement.EnumerateArray())
        {
            if (r.ValueKind != JsonValueKind.Object)
            {
                throw new DatasetFormatException(file, line, "each rating must be an object {llm, rating}");
            }
            var llm = KnownLlm(RequiredString(r, "llm", file, line), llmNames, file, line);
            var rating = RequiredNumber(r, "rating", file, line);
            if (!scale.Contains(rating))
            {
                throw new DatasetFormatException(file, line, $"rating {rating} for '{llm}' is outside the declared scale {scale.Min}..{scale.Max}");
            }
            if (!outcomeKeys.Contains((query, llm)))
            {
                throw new DatasetFormatException(file, line, $"no response of '{llm}' to query '{query}' in {OutcomesFile}");
            }
            if (ratings.Exists(x => x.Llm == llm))
            {
                throw new DatasetFormatException(file, line, $"'{llm}' is rated twice");
            }
            ratings.Add(new RatedLlm(llm, rating));
        }
        if (ratings.Count < 1)
        {
            throw new DatasetFormatException(file, line, "an interaction needs at least one rating");
        }
        return new Interaction
        {
            User = user,
            Conversation = RequiredString(root, "conversation", file, line),
            Step = step,
            Timestamp = timestamp,
            QueryId = query,
            Ratings = ratings,
        };
    }

    private static (string Name, int Version, RatingScale Scale, IReadOnlyList<string> Tasks) ReadHeader(string path)
    {
        var file = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new DatasetFormatException(path, null, "missing file");
        }
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            var name = RequiredString(root, "name", file, null);
            var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 1;
            if (!root.TryGetProperty("ratingScale", out var scaleElement) || scaleElement.ValueKind != JsonValueKind.Object)
            {
                throw new DatasetFormatException(file, null, "missing object 'ratingScale' {min, max}");
            }
            var min = RequiredNumber(scaleElement, "min", file, null);
            var max = RequiredNumber(scaleElement, "max", file, null);
            if (!(max > min))
            {
                throw new DatasetFormatException(file, null, $"ratingScale max ({max}) must exceed min ({min})");
            }
            var tasks = root.TryGetProperty("tasks", out var t) && t.ValueKind == JsonValueKind.Array
                ? t.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
                : [];
            return (name, version, new RatingScale(min, max), tasks);
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException(file, (int?)(e.LineNumber + 1), $"malformed JSON: {e.Message}", e);
        }
    }

    /// <summary>Reads a JSON Lines file, handing each non-blank line's object to <paramref name="onLine"/> with its 1-based number.</summary>
    public static void ReadLines(string path, Action<JsonElement, string, int> onLine)
    {
        var file = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new DatasetFormatException(path, null, "missing file");
        }
        var lineNumber = 0;
        foreach (var text in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                throw new DatasetFormatException(file, lineNumber, $"malformed JSON: {e.Message}", e);
            }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new DatasetFormatException(file, lineNumber, "each line must be a JSON object");
                }
                onLine(doc.RootElement, file, lineNumber);
            }
        }
    }

    private static string KnownQuery(string id, HashSet<string> known, string file, int line) =>
        known.Contains(id) ? id : throw new DatasetFormatException(file, line, $"unknown query id '{id}'");

    private static string KnownLlm(string name, HashSet<string> known, string file, int line) =>
        known.Contains(name) ? name : throw new DatasetFormatException(file, line, $"unknown LLM '{name}'");

    internal static string RequiredString(JsonElement e, string property, string file, int? line, bool allowEmpty = false)
    {
        if (!e.TryGetProperty(property, out var p) || p.ValueKind != JsonValueKind.String)
        {
            throw new DatasetFormatException(file, line, $"missing string '{property}'");
        }
        var s = p.GetString()!;
        if (!allowEmpty && s.Length == 0)
        {
            throw new DatasetFormatException(file, line, $"empty '{property}'");
        }
        return s;
    }

    internal static string? OptionalString(JsonElement e, string property) =>
        e.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    internal static double RequiredNumber(JsonElement e, string property, string file, int? line)
    {
        if (!e.TryGetProperty(property, out var p) || p.ValueKind != JsonValueKind.Number || !p.TryGetDouble(out var d) || !double.IsFinite(d))
        {
            throw new DatasetFormatException(file, line, $"missing or non-numeric '{property}'");
        }
        return d;
    }

    internal static double? OptionalNumber(JsonElement e, string property, string file, int? line) =>
        e.TryGetProperty(property, out var p) && p.ValueKind != JsonValueKind.Null ? RequiredNumber(e, property, file, line) : null;
}
