using System.Globalization;
using GraphRouter.Storage.Tests.Postgres;
using Npgsql;

namespace GraphRouter.Storage.Tests.Contract;

/// <summary>PostgreSQL stores, each a fresh database on the test server, dropped afterwards.</summary>
public sealed class PostgresStoreFixture : StoreFixture
{
    private readonly List<string> _databases = [];

    protected override async Task<IGraphStore> OpenNewStoreAsync(GraphStoreOptions options)
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("contract");
        lock (_databases)
        {
            _databases.Add(connectionString);
        }
        return await GraphStoreFactory.OpenAsync(StoreLocation.Postgres(connectionString), options);
    }

    public override async Task<IReadOnlyList<string>> ReadAsync(IGraphStore store, string sql)
    {
        await using var connection = new NpgsqlConnection(store.Location.Target);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
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
        await using var connection = new NpgsqlConnection(store.Location.Target);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
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
