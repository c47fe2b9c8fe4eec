using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Cli.Tests;

/// <summary>A fresh database on the PostgreSQL test server; empty when none can be had (the tests are then skipped).</summary>
public sealed class PostgresStoreUnderTest : StoreUnderTest
{
    private string? _connectionString;

    protected override async Task<string> CreateAsync(string folder)
    {
        if (!PostgresServer.OnCi && PostgresServer.UnavailableReason is not null)
        {
            return "";
        }
        var server = await PostgresServer.GetAsync();
        _connectionString = await server.CreateDatabaseAsync("cli");
        return "postgres:" + _connectionString;
    }

    protected override async Task DropAsync()
    {
        if (_connectionString is not null)
        {
            await (await PostgresServer.GetAsync()).DropDatabaseAsync(_connectionString);
        }
    }
}
