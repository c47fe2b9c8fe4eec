using GraphRouter.Storage.Import;

namespace GraphRouter.Storage.Tests.Contract;

/// <summary>
/// One backend for the contract tests: a store with the bundled routerbench imported once per test class
/// (on first use), and fresh empty stores on demand.
/// </summary>
public abstract class StoreFixture : IAsyncLifetime
{
    private readonly List<IGraphStore> _stores = [];
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
    public async Task<IGraphStore> CreateEmptyStoreAsync(bool migrate = true)
    {
        var store = await OpenNewStoreAsync();
        _stores.Add(store);
        if (migrate)
        {
            await store.MigrateAsync();
        }
        return store;
    }

    protected abstract Task<IGraphStore> OpenNewStoreAsync();

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
