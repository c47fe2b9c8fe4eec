using GraphRouter.Core.Datasets;
using GraphRouter.Core.Domain;
using GraphRouter.Storage.Import;
using Npgsql;
using NpgsqlTypes;

namespace GraphRouter.Storage.Postgres;

/// <summary>
/// Writes datasets into PostgreSQL inside the caller's transaction: binary COPY into temporary staging
/// tables, then one <c>INSERT ... SELECT ... ON CONFLICT DO NOTHING</c> per table that resolves natural
/// keys to ids, so a repeated import adds nothing and each statement's row count is what was added.
/// </summary>
internal sealed class PostgresGraphWriter
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    public PostgresGraphWriter(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public async Task<ImportResult> ImportAsync(PreferenceDataset dataset, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        await ExecuteAsync("""
            CREATE TEMP TABLE staged_llms (name text, vendor text, description text, input_price double precision, output_price double precision) ON COMMIT DROP;
            CREATE TEMP TABLE staged_queries (external_id text, task text, text text) ON COMMIT DROP;
            CREATE TEMP TABLE staged_responses (query text, llm text, text text, score double precision, cost_usd double precision) ON COMMIT DROP;
            CREATE TEMP TABLE staged_interactions (ord integer, user_id text, conversation text, step integer, occurred_at timestamptz, query text) ON COMMIT DROP;
            CREATE TEMP TABLE staged_turns (ord integer, user_id text, conversation text, step integer, llm text, rating double precision) ON COMMIT DROP;
            """, ct);

        await StageLlmsAsync(dataset.Llms, ct);
        await StageQueriesAsync(dataset.Queries.Select(q => (q.Id, q.Task, q.Text)), ct);
        await using (var copy = await _connection.BeginBinaryImportAsync("COPY staged_responses (query, llm, text, score, cost_usd) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var o in dataset.Outcomes)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(o.QueryId, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(o.Llm, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(o.Response, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(o.Score, NpgsqlDbType.Double, ct);
                await copy.WriteAsync(o.CostUsd, NpgsqlDbType.Double, ct);
            }
            await copy.CompleteAsync(ct);
        }
        var turnsTotal = 0;
        await using (var copy = await _connection.BeginBinaryImportAsync("COPY staged_interactions (ord, user_id, conversation, step, occurred_at, query) FROM STDIN (FORMAT BINARY)", ct))
        {
            var ord = 0;
            foreach (var i in dataset.Interactions)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(ord++, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(i.User, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(i.Conversation, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(i.Step, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(i.Timestamp.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(i.QueryId, NpgsqlDbType.Text, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using (var copy = await _connection.BeginBinaryImportAsync("COPY staged_turns (ord, user_id, conversation, step, llm, rating) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var i in dataset.Interactions)
            {
                foreach (var r in i.Ratings)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(turnsTotal++, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(i.User, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(i.Conversation, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(i.Step, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(r.Llm, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(r.Rating, NpgsqlDbType.Double, ct);
                }
            }
            await copy.CompleteAsync(ct);
        }
        await ExecuteAsync("ANALYZE staged_llms; ANALYZE staged_queries; ANALYZE staged_responses; ANALYZE staged_interactions; ANALYZE staged_turns;", ct);

        var llms = await ExecuteAsync(InsertLlms, ct);
        progress?.Report(new ImportProgress("LLMs", dataset.Llms.Count, llms));
        var queries = await ExecuteAsync(InsertQueries, ct);
        progress?.Report(new ImportProgress("queries", dataset.Queries.Count, queries));
        var responses = await ExecuteAsync("""
            INSERT INTO responses (query_id, llm_id, text, score, cost_usd)
            SELECT q.id, l.id, s.text, s.score, s.cost_usd
            FROM staged_responses s
            JOIN queries q ON q.external_id = s.query
            JOIN llms l ON l.name = s.llm
            ON CONFLICT (query_id, llm_id) DO NOTHING
            """, ct);
        progress?.Report(new ImportProgress("responses", dataset.Outcomes.Count, responses));
        // An imported dataset's users are the default tenant's (migration 0008).
        var users = await ExecuteAsync("""
            INSERT INTO users (tenant_id, external_id)
            SELECT 'default', user_id FROM staged_interactions GROUP BY user_id ORDER BY MIN(ord)
            ON CONFLICT (tenant_id, external_id) DO NOTHING
            """, ct);
        progress?.Report(new ImportProgress("users", dataset.Interactions.Select(i => i.User).Distinct(StringComparer.Ordinal).Count(), users));
        var interactions = await ExecuteAsync("""
            INSERT INTO interactions (user_id, conversation, step, occurred_at, query_id)
            SELECT u.id, s.conversation, s.step, s.occurred_at, q.id
            FROM staged_interactions s
            JOIN users u ON u.tenant_id = 'default' AND u.external_id = s.user_id
            JOIN queries q ON q.external_id = s.query
            ORDER BY s.ord
            ON CONFLICT (user_id, conversation, step) DO NOTHING
            """, ct);
        progress?.Report(new ImportProgress("interactions", dataset.Interactions.Count, interactions));
        var unresolved = await ScalarAsync("""
            SELECT COUNT(*)
            FROM staged_turns s
            JOIN users u ON u.tenant_id = 'default' AND u.external_id = s.user_id
            JOIN interactions i ON i.user_id = u.id AND i.conversation = s.conversation AND i.step = s.step
            JOIN llms l ON l.name = s.llm
            LEFT JOIN responses r ON r.query_id = i.query_id AND r.llm_id = l.id
            WHERE r.id IS NULL
            """, ct);
        if (unresolved > 0)
        {
            throw new InvalidOperationException($"{unresolved} rated turns have no stored response for their (query, LLM)");
        }
        var turns = await ExecuteAsync("""
            INSERT INTO turns (interaction_id, llm_id, response_id, rating)
            SELECT i.id, l.id, r.id, s.rating
            FROM staged_turns s
            JOIN users u ON u.tenant_id = 'default' AND u.external_id = s.user_id
            JOIN interactions i ON i.user_id = u.id AND i.conversation = s.conversation AND i.step = s.step
            JOIN llms l ON l.name = s.llm
            JOIN responses r ON r.query_id = i.query_id AND r.llm_id = l.id
            ORDER BY s.ord
            ON CONFLICT (interaction_id, llm_id) DO NOTHING
            """, ct);
        progress?.Report(new ImportProgress("turns", turnsTotal, turns));
        if (turns > 0)
        {
            // Every interaction's packed copy of its turns (migration 0002) follows the turns table.
            await ExecuteAsync("""
                UPDATE interactions i SET turns_packed = p.packed
                FROM (SELECT interaction_id,
                             string_agg(llm_id || ',' || rating || ',' || response_id, ';' ORDER BY id) AS packed
                      FROM turns GROUP BY interaction_id) p
                WHERE p.interaction_id = i.id AND i.turns_packed IS DISTINCT FROM p.packed
                """, ct);
        }
        var links = await ExecuteAsync(GraphSql.LinkTurns, ct);
        progress?.Report(new ImportProgress("turn links", links, links));

        return new ImportResult
        {
            Users = users,
            Queries = queries,
            Llms = llms,
            Responses = responses,
            Interactions = interactions,
            Turns = turns,
            TurnLinks = links,
        };
    }

    public async Task<ImportResult> ImportQualityTableAsync(QualityTable table, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        await ExecuteAsync("""
            CREATE TEMP TABLE staged_llms (name text, vendor text, description text, input_price double precision, output_price double precision) ON COMMIT DROP;
            CREATE TEMP TABLE staged_queries (external_id text, task text, text text) ON COMMIT DROP;
            CREATE TEMP TABLE staged_scores (query text, llm text, score double precision) ON COMMIT DROP;
            """, ct);
        var rows = table.Train.Concat(table.Test).ToList();
        await StageLlmsAsync(table.Catalog, ct);
        await StageQueriesAsync(rows.Select(r => (r.Id, "", r.Text)), ct);
        var scoresTotal = 0;
        await using (var copy = await _connection.BeginBinaryImportAsync("COPY staged_scores (query, llm, score) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var row in rows)
            {
                foreach (var (llm, score) in row.Scores)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(row.Id, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(llm, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(score, NpgsqlDbType.Double, ct);
                    scoresTotal++;
                }
            }
            await copy.CompleteAsync(ct);
        }
        var llms = await ExecuteAsync(InsertLlms, ct);
        progress?.Report(new ImportProgress("LLMs", table.Catalog.Count, llms));
        var queries = await ExecuteAsync(InsertQueries, ct);
        progress?.Report(new ImportProgress("queries", rows.Count, queries));
        var responses = await ExecuteAsync("""
            INSERT INTO responses (query_id, llm_id, text, score, cost_usd)
            SELECT q.id, l.id, NULL, s.score, NULL
            FROM staged_scores s
            JOIN queries q ON q.external_id = s.query
            JOIN llms l ON l.name = s.llm
            ON CONFLICT (query_id, llm_id) DO NOTHING
            """, ct);
        progress?.Report(new ImportProgress("responses", scoresTotal, responses));
        return new ImportResult { Users = 0, Queries = queries, Llms = llms, Responses = responses, Interactions = 0, Turns = 0, TurnLinks = 0 };
    }

    private const string InsertLlms = """
        INSERT INTO llms (name, vendor, description, input_price_per_million, output_price_per_million)
        SELECT name, vendor, description, input_price, output_price FROM staged_llms
        ON CONFLICT (name) DO NOTHING
        """;

    private const string InsertQueries = """
        INSERT INTO queries (external_id, task, text)
        SELECT external_id, task, text FROM staged_queries
        ON CONFLICT (external_id) DO NOTHING
        """;

    private async Task StageLlmsAsync(IReadOnlyList<LlmInfo> llms, CancellationToken ct)
    {
        await using var copy = await _connection.BeginBinaryImportAsync("COPY staged_llms (name, vendor, description, input_price, output_price) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var llm in llms)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(llm.Name, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(llm.Vendor, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(llm.Description, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, llm.InputPricePerMillion, ct);
            await WriteNullableAsync(copy, llm.OutputPricePerMillion, ct);
        }
        await copy.CompleteAsync(ct);
    }

    private async Task StageQueriesAsync(IEnumerable<(string Id, string Task, string Text)> queries, CancellationToken ct)
    {
        await using var copy = await _connection.BeginBinaryImportAsync("COPY staged_queries (external_id, task, text) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (id, task, text) in queries)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(id, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(task, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(text, NpgsqlDbType.Text, ct);
        }
        await copy.CompleteAsync(ct);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, double? value, CancellationToken ct)
    {
        if (value is { } v)
        {
            await copy.WriteAsync(v, NpgsqlDbType.Double, ct);
        }
        else
        {
            await copy.WriteNullAsync(ct);
        }
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, _connection, _transaction);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<long> ScalarAsync(string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, _connection, _transaction);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
