using System.Text.RegularExpressions;
using GraphRouter.Storage.Postgres;
using GraphRouter.Storage.Tests.Postgres;
using Npgsql;

namespace GraphRouter.Storage.Tests.Contract;

[RequiresPostgres]
public sealed partial class PostgresTenancyTests(PostgresStoreFixture fixture) : TenancyContract(fixture), IClassFixture<PostgresStoreFixture>
{
    protected override StoreKind Kind => StoreKind.Postgres;

    protected override string Instant(DateTimeOffset at) => $"'{at.UtcDateTime:yyyy-MM-dd HH:mm:ss}+00'::timestamptz";

    protected override string ForeignKeyViolationsSql => """
        SELECT 'interaction', i.id::text FROM interactions i WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = i.user_id)
        UNION ALL SELECT 'user', u.id::text FROM users u WHERE NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = u.tenant_id)
        UNION ALL SELECT 'feedback key', k.idempotency_key FROM feedback_keys k WHERE NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = k.tenant_id)
        UNION ALL SELECT 'api key', a.id FROM api_keys a WHERE NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = a.tenant_id)
        """;

    protected override string PackTurnsSql => """
        UPDATE interactions i SET turns_packed = p.packed
        FROM (SELECT interaction_id, string_agg(llm_id || ',' || rating || ',' || response_id, ';' ORDER BY id) AS packed
              FROM turns GROUP BY interaction_id) p
        WHERE p.interaction_id = i.id;
        """;

    protected override (string History, string FindKey, string FindUser) HotReads =>
        (PostgresGraphStore.HistorySql, PostgresFeedbackWriter.FindKeySql, PostgresFeedbackWriter.LockUserSql);

    protected override (string Users, string Interactions, string Keys) Indexes =>
        ("users_tenant_id_external_id_key", "interactions_user_recent", "feedback_keys_pkey");

    /// <summary>
    /// EXPLAIN with the parameters ($1.., or @tenant, @user, @limit in that order) as literals, and sequential scans
    /// discouraged: on tables this small the planner may scan whole tables; what matters is that an index serves the read.
    /// </summary>
    protected override async Task<string> PlanAsync(IGraphStore store, string sql, params string[] values)
    {
        string Literal(int i) => "'" + values[i].Replace("'", "''", StringComparison.Ordinal) + "'";
        var named = new[] { "@tenant", "@user", "@limit" };
        var text = Positional().Replace(sql, m => Literal(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 1));
        for (var i = 0; i < named.Length && i < values.Length; i++)
        {
            text = text.Replace(named[i], i == 2 ? values[i] : Literal(i), StringComparison.Ordinal);
        }
        await using var connection = new NpgsqlConnection(store.Location.Target);
        await connection.OpenAsync();
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }
        await using var command = new NpgsqlCommand("EXPLAIN " + text, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"\$(\d+)")]
    private static partial Regex Positional();
}
