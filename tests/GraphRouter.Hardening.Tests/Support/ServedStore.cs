using System.Data.Common;
using System.Text.Json;
using GraphRouter.Storage;
using GraphRouter.Storage.Tests.Postgres;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace GraphRouter.Hardening.Tests.Support;

/// <summary>
/// The store one test class serves from: a SQLite file in a temp folder, or a fresh database on the PostgreSQL test
/// server (empty <see cref="Store"/> when none can be had: the tests are then skipped). The tests read it directly,
/// through the store's own read methods and plain SQL, to see what the server really committed.
/// </summary>
public abstract class ServedStore : IAsyncLifetime
{
    protected string Folder { get; } = Directory.CreateTempSubdirectory("graphrouter-hardening-").FullName;

    /// <summary>The <c>--store</c> value.</summary>
    public string Store { get; private set; } = "";

    protected abstract Task<string> CreateAsync();

    protected virtual Task DropAsync() => Task.CompletedTask;

    /// <summary>A plain ADO.NET connection to the same store, opened.</summary>
    public abstract Task<DbConnection> ConnectAsync();

    public async Task InitializeAsync() => Store = await CreateAsync();

    /// <summary>Opens the store through its own factory (migrations are the server's job; this only reads).</summary>
    public Task<IGraphStore> OpenAsync() => GraphStoreFactory.OpenAsync(StoreLocation.Parse(Store));

    /// <summary>The store's counts (nodes and edges per type, interactions) as one comparable string.</summary>
    public async Task<string> StatsAsync()
    {
        await using var store = await OpenAsync();
        return JsonSerializer.Serialize(await store.GetStatsAsync());
    }

    /// <summary>Runs a query and returns its rows, each column as invariant text.</summary>
    public async Task<List<string[]>> QueryAsync(string sql)
    {
        await using var connection = await ConnectAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            }

            rows.Add(row);
        }

        return rows;
    }

    public async Task DisposeAsync()
    {
        await DropAsync();
        Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>A SQLite file in the fixture's temp folder.</summary>
public sealed class SqliteServedStore : ServedStore
{
    private string Path => System.IO.Path.Combine(Folder, "graph.db");

    protected override Task<string> CreateAsync() => Task.FromResult("sqlite:" + Path);

    public override async Task<DbConnection> ConnectAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}

/// <summary>A fresh database on the PostgreSQL test server.</summary>
public sealed class PostgresServedStore : ServedStore
{
    private string? _connectionString;

    protected override async Task<string> CreateAsync()
    {
        if (!PostgresServer.OnCi && PostgresServer.UnavailableReason is not null)
        {
            return "";
        }

        _connectionString = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("hardening");
        return "postgres:" + _connectionString;
    }

    public override async Task<DbConnection> ConnectAsync()
    {
        var connection = new NpgsqlConnection(_connectionString ?? throw new InvalidOperationException("no PostgreSQL database"));
        await connection.OpenAsync();
        return connection;
    }

    protected override async Task DropAsync()
    {
        if (_connectionString is not null)
        {
            await (await PostgresServer.GetAsync()).DropDatabaseAsync(_connectionString);
        }
    }
}
