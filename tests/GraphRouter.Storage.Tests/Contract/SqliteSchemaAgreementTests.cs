using Microsoft.Data.Sqlite;

namespace GraphRouter.Storage.Tests.Contract;

public sealed class SqliteSchemaAgreementTests(SqliteStoreFixture fixture) : SchemaAgreementContract(fixture), IClassFixture<SqliteStoreFixture>
{
    protected override StoreKind Kind => StoreKind.Sqlite;

    protected override async Task<IReadOnlyList<IntrospectedTable>> IntrospectAsync(IGraphStore store)
    {
        await using var connection = new SqliteConnection($"Data Source={store.Location.Target};Mode=ReadOnly");
        await connection.OpenAsync();
        var names = await ColumnAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
        var tables = new List<IntrospectedTable>();
        foreach (var name in names)
        {
            var columns = new List<(string, string, bool)>();
            var primaryKey = new SortedList<long, string>();
            await using (var info = new SqliteCommand($"PRAGMA table_info({name})", connection))
            await using (var reader = await info.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    var column = reader.GetString(1);
                    columns.Add((column, reader.GetString(2), reader.GetInt64(3) == 0));
                    if (reader.GetInt64(5) > 0)
                    {
                        primaryKey.Add(reader.GetInt64(5), column);
                    }
                }
            }
            var unique = new List<string>();
            foreach (var index in await ColumnAsync(connection, $"SELECT name FROM pragma_index_list('{name}') WHERE origin = 'u'"))
            {
                unique.Add(string.Join(",", await ColumnAsync(connection, $"SELECT name FROM pragma_index_info('{index}') ORDER BY seqno")));
            }
            tables.Add(new IntrospectedTable { Name = name, Columns = columns, PrimaryKey = primaryKey.Values.ToList(), Unique = unique });
        }
        return tables;
    }

    private static async Task<List<string>> ColumnAsync(SqliteConnection connection, string sql)
    {
        await using var command = new SqliteCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }
}
