using GraphRouter.Core.Datasets;

namespace GraphRouter.Cli.Tests;

/// <summary>A store for one CLI test class: a SQLite file in a temp folder, or a fresh PostgreSQL database; removed afterwards.</summary>
public abstract class StoreUnderTest : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphrouter-cli-").FullName;
    private readonly Lazy<Task<CliResult>> _firstImport;

    protected StoreUnderTest() =>
        _firstImport = new(() => Graphrouter.RunProcessAsync("import", BundledData.RouterBench, "--store", Store));

    /// <summary>The <c>--store</c> value.</summary>
    public string Store { get; private set; } = "";

    /// <summary>A scratch folder for corrupted dataset copies.</summary>
    public string Scratch => _folder;

    protected abstract Task<string> CreateAsync(string folder);

    protected virtual Task DropAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => Store = await CreateAsync(_folder);

    /// <summary>The first import of the bundled routerbench into this store, run once through the real process.</summary>
    public Task<CliResult> FirstImportAsync() => _firstImport.Value;

    public async Task DisposeAsync()
    {
        await DropAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
