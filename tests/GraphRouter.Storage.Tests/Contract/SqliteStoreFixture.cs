using Microsoft.Data.Sqlite;

namespace GraphRouter.Storage.Tests.Contract;

/// <summary>SQLite stores as files in a temp folder of their own.</summary>
public sealed class SqliteStoreFixture : StoreFixture
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphrouter-sqlite-").FullName;
    private int _files;

    public string NewPath() => Path.Combine(_folder, $"store{Interlocked.Increment(ref _files)}.db");

    protected override async Task<IGraphStore> OpenNewStoreAsync() =>
        await GraphStoreFactory.OpenAsync(StoreLocation.Sqlite(NewPath()));

    protected override Task CleanUpAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
