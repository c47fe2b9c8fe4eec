using System.Globalization;
using System.Text.RegularExpressions;
using GraphRouter.Core.Datasets;
using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Cli.Tests;

/// <summary><c>graphrouter import</c> and <c>stats</c> on the bundled data and on corrupted copies of it, against each store.</summary>
public abstract partial class CliContract
{
    // 1-based line of interactions.jsonl that the corruption tests damage.
    private const int DamagedLine = 1234;

    private readonly StoreUnderTest _store;

    protected CliContract(StoreUnderTest store) => _store = store;

    [StoreFact]
    public async Task Import_then_stats_shows_the_published_counts()
    {
        var import = await _store.FirstImportAsync();
        var stats = await Graphrouter.RunProcessAsync("stats", "--store", _store.Store);

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("users 600, queries 2,205, LLMs 11, responses 24,255, interactions 25,622, turns 56,284", import.Output, StringComparison.Ordinal);
        Assert.Contains("interactions.jsonl: 25622 interactions", import.Output, StringComparison.Ordinal);
        Assert.Equal(0, stats.ExitCode);
        var counts = ParseStats(stats.Output);
        Assert.Equal(600, counts["User"]);
        Assert.Equal(2_205, counts["Query"]);
        Assert.Equal(11, counts["Llm"]);
        Assert.Equal(56_284, counts["Turn"]);
        Assert.Equal(24_255, counts["Response"]);
        Assert.Equal(25_622, counts["interactions"]);
        Assert.Equal(56_284, counts["Query->Turn"]);
        Assert.Equal(56_284, counts["Llm->Turn"]);
        Assert.Equal(56_284, counts["Response->Turn"]);
        Assert.Equal(56_284, counts["Turn->User"]);
        Assert.Equal(0, counts["Turn->Turn"]);
    }

    [StoreFact]
    public async Task A_second_import_says_it_added_nothing()
    {
        await _store.FirstImportAsync();
        var before = await StatsAsync();

        var again = await Graphrouter.RunInProcessAsync("import", BundledData.RouterBench, "--store", _store.Store);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("nothing added", again.Output, StringComparison.Ordinal);
        Assert.Equal(before, await StatsAsync());
    }

    [StoreFact]
    public Task Malformed_json_is_rejected_with_its_line() =>
        AssertRejectedAsync(line => line[..(line.Length / 2)], "malformed JSON");

    [StoreFact]
    public Task A_rating_outside_the_declared_scale_is_rejected_with_its_line() =>
        AssertRejectedAsync(line => RatingValue().Replace(line, "\"rating\": 11", 1), "outside the declared scale 1..10");

    [StoreFact]
    public Task An_unknown_llm_is_rejected_with_its_line() =>
        AssertRejectedAsync(line => LlmName().Replace(line, "\"llm\": \"no-such-model\"", 1), "unknown LLM 'no-such-model'");

    [StoreFact]
    public Task An_unknown_query_is_rejected_with_its_line() =>
        AssertRejectedAsync(line => QueryId().Replace(line, "\"query\": \"no-such-query\"", 1), "unknown query id 'no-such-query'");

    [StoreFact]
    public async Task A_missing_file_is_rejected_and_nothing_changes()
    {
        await _store.FirstImportAsync();
        var before = await StatsAsync();
        var copy = CopyRouterBench("missing");
        File.Delete(Path.Combine(copy, RouterBenchReader.OutcomesFile));

        var result = await Graphrouter.RunInProcessAsync("import", copy, "--store", _store.Store);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"{RouterBenchReader.OutcomesFile}: missing file", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await StatsAsync());
    }

    private async Task AssertRejectedAsync(Func<string, string> damage, string problem)
    {
        await _store.FirstImportAsync();
        var before = await StatsAsync();
        var copy = CopyRouterBench(problem.Split(' ')[0]);
        var path = Path.Combine(copy, RouterBenchReader.InteractionsFile);
        var lines = File.ReadAllLines(path);
        var damaged = damage(lines[DamagedLine - 1]);
        Assert.NotEqual(lines[DamagedLine - 1], damaged);
        lines[DamagedLine - 1] = damaged;
        File.WriteAllLines(path, lines);

        var result = await Graphrouter.RunInProcessAsync("import", copy, "--store", _store.Store);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.StartsWith($"{RouterBenchReader.InteractionsFile}:{DamagedLine}: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await StatsAsync());
    }

    private string CopyRouterBench(string name)
    {
        var copy = Path.Combine(_store.Scratch, $"routerbench-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(BundledData.RouterBench))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        return copy;
    }

    private async Task<string> StatsAsync()
    {
        var stats = await Graphrouter.RunInProcessAsync("stats", "--store", _store.Store);
        Assert.True(stats.ExitCode == 0, stats.ToString());
        return stats.Output;
    }

    /// <summary>Reads the counts of <c>graphrouter stats</c>: node types, edge types (as Source->Target) and interactions.</summary>
    public static Dictionary<string, long> ParseStats(string output)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Match m in StatsLine().Matches(output))
        {
            counts[m.Groups[1].Value] = long.Parse(m.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        }
        return counts;
    }

    [GeneratedRegex(@"^\s*(\S+?)(?: \(\w+\))?\s+([\d,]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex StatsLine();

    [GeneratedRegex(@"""rating"":\s*[-0-9.]+")]
    private static partial Regex RatingValue();

    [GeneratedRegex(@"""llm"":\s*""[^""]+""")]
    private static partial Regex LlmName();

    [GeneratedRegex(@"""query"":\s*""[^""]+""")]
    private static partial Regex QueryId();
}
