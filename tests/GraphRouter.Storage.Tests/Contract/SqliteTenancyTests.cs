using GraphRouter.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace GraphRouter.Storage.Tests.Contract;

public sealed class SqliteTenancyTests(SqliteStoreFixture fixture) : TenancyContract(fixture), IClassFixture<SqliteStoreFixture>
{
    protected override StoreKind Kind => StoreKind.Sqlite;

    protected override string Instant(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected override string ForeignKeyViolationsSql => "PRAGMA foreign_key_check";

    protected override string PackTurnsSql => """
        UPDATE interactions SET turns_packed = p.packed
        FROM (SELECT t.interaction_id AS id, group_concat(t.llm_id || ',' || t.rating || ',' || t.response_id, ';' ORDER BY t.id) AS packed
              FROM turns t GROUP BY t.interaction_id) p
        WHERE p.id = interactions.id;
        """;

    protected override (string History, string FindKey, string FindUser) HotReads =>
        (SqliteGraphStore.HistorySql, SqliteFeedbackWriter.FindKeySql, SqliteFeedbackWriter.FindUserSql);

    // SQLite names a table's unique-constraint index after the table (kept by the rename that ends the rebuild);
    // a WITHOUT ROWID table is searched by its primary key.
    protected override (string Users, string Interactions, string Keys) Indexes =>
        ("INDEX sqlite_autoindex_users_1 (tenant_id=? AND external_id=?)", "INDEX interactions_user_recent (user_id=?)", "PRIMARY KEY (tenant_id=? AND idempotency_key=?)");

    /// <summary>EXPLAIN QUERY PLAN's detail column; the plan does not depend on the parameters' values, so none are bound.</summary>
    protected override async Task<string> PlanAsync(IGraphStore store, string sql, params string[] values)
    {
        await using var connection = new SqliteConnection($"Data Source={store.Location.Target};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand("EXPLAIN QUERY PLAN " + sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(3));
        }
        return string.Join('\n', lines);
    }
}
