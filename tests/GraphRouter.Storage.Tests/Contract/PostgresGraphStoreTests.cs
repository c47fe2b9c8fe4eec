using System.Globalization;
using GraphRouter.Storage.Tests.Postgres;
using Npgsql;

namespace GraphRouter.Storage.Tests.Contract;

[RequiresPostgres]
public sealed class PostgresGraphStoreTests(PostgresStoreFixture fixture) : GraphStoreContract(fixture), IClassFixture<PostgresStoreFixture>
{
    protected override async Task<IReadOnlyList<string>> ReadAsync(IGraphStore store, string sql)
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

    [StoreFact]
    public async Task Concurrent_migrations_apply_each_version_once()
    {
        var first = await fixture.CreateEmptyStoreAsync(migrate: false);
        await using var second = await GraphStoreFactory.OpenAsync(first.Location);

        var applied = await Task.WhenAll(first.MigrateAsync(), second.MigrateAsync());

        Assert.Equal([1, 2], applied.SelectMany(a => a).Order());
    }
}
