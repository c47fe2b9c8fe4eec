using GraphRouter.Core.Datasets;

namespace GraphRouter.Cli.Tests;

/// <summary>Help, usage errors and exit codes of the real <c>graphrouter</c>.</summary>
public sealed class CliUsageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphrouter-cli-usage-").FullName;

    private string SqliteStore => "sqlite:" + Path.Combine(_folder, "graph.db");

    [Fact]
    public async Task Help_lists_the_commands_and_the_exit_codes()
    {
        var help = await Graphrouter.RunProcessAsync("--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("import <folder>", help.Output, StringComparison.Ordinal);
        Assert.Contains("migrate", help.Output, StringComparison.Ordinal);
        Assert.Contains("stats", help.Output, StringComparison.Ordinal);
        Assert.Contains("2 usage error; 3 bad data (nothing was written); 4 store unreachable", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_store_string_is_a_usage_error()
    {
        var result = await Graphrouter.RunProcessAsync("stats", "--store", "mysql:Server=db");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("expected sqlite:PATH | postgres:CONNSTRING", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("import")]
    [InlineData("no-such-command")]
    [InlineData("stats", "--no-such-option")]
    public async Task Missing_or_unknown_arguments_are_usage_errors(params string[] args)
    {
        var result = await Graphrouter.RunInProcessAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.NotEmpty(result.Error);
    }

    [Fact]
    public async Task An_unreachable_server_exits_with_4()
    {
        var result = await Graphrouter.RunInProcessAsync("stats", "--store", "postgres:Host=127.0.0.1;Port=1;Username=nobody;Timeout=2");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("cannot reach the PostgreSQL store", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_that_holds_no_dataset_is_bad_data()
    {
        var result = await Graphrouter.RunInProcessAsync("import", _folder, "--store", SqliteStore);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("not a dataset folder", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_creates_the_schema_once()
    {
        var first = await Graphrouter.RunInProcessAsync("migrate", "--store", SqliteStore);
        var second = await Graphrouter.RunInProcessAsync("migrate", "--store", SqliteStore);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("applied migration(s) 1", first.Output, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("schema is up to date", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_llmrouter_dc_format_is_detected_and_imported_once()
    {
        var first = await Graphrouter.RunInProcessAsync("import", BundledData.LlmRouterDc, "--store", SqliteStore);
        var second = await Graphrouter.RunInProcessAsync("import", BundledData.LlmRouterDc, "--store", SqliteStore);
        var stats = await Graphrouter.RunInProcessAsync("stats", "--store", SqliteStore);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("(qualitytable format)", first.Output, StringComparison.Ordinal);
        Assert.Contains("nothing added", second.Output, StringComparison.Ordinal);
        var counts = CliContract.ParseStats(stats.Output);
        Assert.Equal(14, counts["Llm"]);
        Assert.Equal(6_108, counts["Query"]);
        Assert.Equal(0, counts["Turn"]);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
