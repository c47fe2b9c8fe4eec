using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Storage.Tests.Contract;

/// <summary>PostgreSQL stores, each a fresh database on the test server, dropped afterwards.</summary>
public sealed class PostgresStoreFixture : StoreFixture
{
    private readonly List<string> _databases = [];

    protected override async Task<IGraphStore> OpenNewStoreAsync()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("contract");
        _databases.Add(connectionString);
        return await GraphStoreFactory.OpenAsync(StoreLocation.Postgres(connectionString));
    }

    protected override async Task CleanUpAsync()
    {
        if (_databases.Count == 0)
        {
            return;
        }
        var server = await PostgresServer.GetAsync();
        foreach (var database in _databases)
        {
            await server.DropDatabaseAsync(database);
        }
    }
}
