using GraphRouter.Storage.Tests.Postgres;
using Npgsql;

namespace GraphRouter.Storage.Tests.Contract;

[RequiresPostgres]
public sealed class PostgresSchemaAgreementTests(PostgresStoreFixture fixture) : SchemaAgreementContract(fixture), IClassFixture<PostgresStoreFixture>
{
    protected override StoreKind Kind => StoreKind.Postgres;

    protected override async Task<IReadOnlyList<IntrospectedTable>> IntrospectAsync(IGraphStore store)
    {
        await using var connection = new NpgsqlConnection(store.Location.Target);
        await connection.OpenAsync();
        var columns = await RowsAsync(connection, """
            SELECT table_name, column_name, data_type, is_nullable
            FROM information_schema.columns WHERE table_schema = 'public'
            ORDER BY table_name, ordinal_position
            """);
        var keys = await RowsAsync(connection, """
            SELECT tc.table_name, tc.constraint_type, tc.constraint_name, k.column_name
            FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage k ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name
            WHERE tc.table_schema = 'public' AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE')
            ORDER BY tc.table_name, tc.constraint_name, k.ordinal_position
            """);
        return columns.GroupBy(c => c[0]).Select(table => new IntrospectedTable
        {
            Name = table.Key,
            Columns = table.Select(c => (c[1], c[2], c[3] == "YES")).ToList(),
            PrimaryKey = keys.Where(k => k[0] == table.Key && k[1] == "PRIMARY KEY").Select(k => k[3]).ToList(),
            Unique = keys.Where(k => k[0] == table.Key && k[1] == "UNIQUE").GroupBy(k => k[2]).Select(g => string.Join(",", g.Select(k => k[3]))).ToList(),
        }).ToList();
    }

    private static async Task<List<string[]>> RowsAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        }
        return rows;
    }
}
