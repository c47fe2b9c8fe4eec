using GraphRouter.Storage.Import;

namespace GraphRouter.Storage.Tests.Contract;

/// <summary>
/// One backend for the contract tests: a store with the bundled routerbench imported once per test class
/// (on first use), fresh empty stores on demand, more handles on a store, and raw reads of its tables.
/// </summary>
public abstract class StoreFixture : IAsyncLifetime
{
    private readonly List<IGraphStore> _stores = [];
    private readonly Lock _storesLock = new();
    private readonly Lazy<Task<(IGraphStore Store, ImportResult FirstImport)>> _imported;

    protected StoreFixture() => _imported = new(ImportRouterBenchAsync);

    /// <summary>The store that holds routerbench, and what its first import added.</summary>
    public Task<(IGraphStore Store, ImportResult FirstImport)> ImportedAsync() => _imported.Value;

    private async Task<(IGraphStore Store, ImportResult FirstImport)> ImportRouterBenchAsync()
    {
        var store = await CreateEmptyStoreAsync();
        return (store, await store.ImportAsync(Datasets.RouterBench));
    }

    /// <summary>A fresh store, with the schema migrated unless <paramref name="migrate"/> is false.</summary>
    public async Task<IGraphStore> CreateEmptyStoreAsync(bool migrate = true, GraphStoreOptions? options = null)
    {
        var store = Track(await OpenNewStoreAsync(options ?? GraphStoreOptions.Default));
        if (migrate)
        {
            await store.MigrateAsync();
        }
        return store;
    }

    /// <summary>A second handle on the same store (another SQLite connection, another PostgreSQL pool), as a second service instance would have.</summary>
    public async Task<IGraphStore> OpenAgainAsync(IGraphStore store, GraphStoreOptions? options = null) =>
        Track(await GraphStoreFactory.OpenAsync(store.Location, options ?? GraphStoreOptions.Default));

    private IGraphStore Track(IGraphStore store)
    {
        lock (_storesLock)
        {
            _stores.Add(store);
        }
        return store;
    }

    protected abstract Task<IGraphStore> OpenNewStoreAsync(GraphStoreOptions options);

    /// <summary>Runs a query on the backend directly, on a connection of its own; each row as its columns joined by '|'.</summary>
    public abstract Task<IReadOnlyList<string>> ReadAsync(IGraphStore store, string sql);

    /// <summary>Runs statements on the backend directly, on a connection of its own (to set up states the API cannot make).</summary>
    public abstract Task ExecuteAsync(IGraphStore store, string sql);

    protected abstract Task CleanUpAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
        await CleanUpAsync();
    }
}
