using GraphRouter.Storage.Schema;
using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Storage.Tests.Contract;

[RequiresPostgres]
public sealed class PostgresGraphStoreTests(PostgresStoreFixture fixture) : GraphStoreContract(fixture), IClassFixture<PostgresStoreFixture>
{
    [StoreFact]
    public async Task Concurrent_migrations_apply_each_version_once()
    {
        var first = await fixture.CreateEmptyStoreAsync(migrate: false);
        await using var second = await GraphStoreFactory.OpenAsync(first.Location);

        var applied = await Task.WhenAll(first.MigrateAsync(), second.MigrateAsync());

        Assert.Equal(MigrationCatalog.For(StoreKind.Postgres).Select(m => m.Version), applied.SelectMany(a => a).Order());
    }
}
