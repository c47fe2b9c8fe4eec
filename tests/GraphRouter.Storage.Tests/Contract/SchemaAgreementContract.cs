using GraphRouter.Storage.Schema;
using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Storage.Tests.Contract;

/// <summary>The migrations create exactly the tables schema.json describes: a fresh store is introspected and compared.</summary>
public abstract class SchemaAgreementContract
{
    private readonly StoreFixture _fixture;

    protected SchemaAgreementContract(StoreFixture fixture) => _fixture = fixture;

    protected abstract StoreKind Kind { get; }

    protected abstract Task<IReadOnlyList<IntrospectedTable>> IntrospectAsync(IGraphStore store);

    [StoreFact]
    public async Task Migrated_tables_match_schema_json()
    {
        var schema = GraphSchema.Current;
        var store = await _fixture.CreateEmptyStoreAsync();

        var tables = (await IntrospectAsync(store)).ToDictionary(t => t.Name);

        Assert.Equal(schema.Tables.Select(t => t.Name).Order(StringComparer.Ordinal), tables.Keys.Order(StringComparer.Ordinal));
        foreach (var table in schema.Tables)
        {
            var live = tables[table.Name];
            var expectedColumns = table.Columns.Select(c => (c.Name, schema.LogicalTypes[c.Type].For(Kind), c.Nullable));
            Assert.Equal(expectedColumns, live.Columns);
            Assert.Equal(table.PrimaryKey, live.PrimaryKey);
            Assert.Equal(table.Unique.Select(u => string.Join(",", u)).Order(StringComparer.Ordinal), live.Unique.Order(StringComparer.Ordinal));
        }
    }
}
