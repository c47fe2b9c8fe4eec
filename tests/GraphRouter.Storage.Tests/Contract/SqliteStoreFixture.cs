using System.Globalization;
using Microsoft.Data.Sqlite;

namespace GraphRouter.Storage.Tests.Contract;

/// <summary>SQLite stores as files in a temp folder of their own.</summary>
public sealed class SqliteStoreFixture : StoreFixture
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphrouter-sqlite-").FullName;
    private int _files;

    public string NewPath() => Path.Combine(_folder, $"store{Interlocked.Increment(ref _files)}.db");

    protected override async Task<IGraphStore> OpenNewStoreAsync(GraphStoreOptions options) =>
        await GraphStoreFactory.OpenAsync(StoreLocation.Sqlite(NewPath()), options);

    public override async Task<IReadOnlyList<string>> ReadAsync(IGraphStore store, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={store.Location.Target};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }
        return rows;
    }

    public override async Task ExecuteAsync(IGraphStore store, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={store.Location.Target};Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override Task CleanUpAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
