using GraphRouter.Core.Datasets;
using GraphRouter.Core.Domain;
using GraphRouter.Storage.Import;
using Microsoft.Data.Sqlite;

namespace GraphRouter.Storage.Sqlite;

/// <summary>
/// Writes datasets into SQLite inside the caller's transaction with prepared commands: each node is
/// inserted unless its natural key exists (then its id is looked up), so a repeated import adds nothing.
/// </summary>
internal sealed class SqliteGraphWriter
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    public SqliteGraphWriter(SqliteConnection connection, SqliteTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public ImportResult Import(PreferenceDataset dataset, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var llmIds = WriteLlms(dataset.Llms, progress, out var llmsAdded);
        var queryIds = WriteQueries(dataset.Queries.Select(q => (q.Id, q.Task, q.Text)), dataset.Queries.Count, progress, out var queriesAdded);
        cancellationToken.ThrowIfCancellationRequested();

        var responseIds = new Dictionary<(long Query, long Llm), long>(dataset.Outcomes.Count);
        var responsesAdded = 0;
        using (var insert = Prepare("INSERT INTO responses (query_id, llm_id, text, score, cost_usd) VALUES ($q, $l, $text, $score, $cost) ON CONFLICT (query_id, llm_id) DO NOTHING RETURNING id",
                   ("$q", SqliteType.Integer), ("$l", SqliteType.Integer), ("$text", SqliteType.Text), ("$score", SqliteType.Real), ("$cost", SqliteType.Real)))
        using (var find = Prepare("SELECT id FROM responses WHERE query_id = $q AND llm_id = $l", ("$q", SqliteType.Integer), ("$l", SqliteType.Integer)))
        {
            foreach (var outcome in dataset.Outcomes)
            {
                var key = (queryIds[outcome.QueryId], llmIds[outcome.Llm]);
                Set(insert, key.Item1, key.Item2, outcome.Response, outcome.Score, outcome.CostUsd);
                Set(find, key.Item1, key.Item2);
                responseIds[key] = InsertOrFind(insert, find, ref responsesAdded);
            }
        }
        progress?.Report(new ImportProgress("responses", dataset.Outcomes.Count, responsesAdded));
        cancellationToken.ThrowIfCancellationRequested();

        var userIds = new Dictionary<string, long>(StringComparer.Ordinal);
        var usersAdded = 0;
        // An imported dataset's users are the default tenant's (migration 0008).
        using (var insert = Prepare($"INSERT INTO users (tenant_id, external_id) VALUES ('{Tenancy.Tenants.Default}', $u) ON CONFLICT (tenant_id, external_id) DO NOTHING RETURNING id", ("$u", SqliteType.Text)))
        using (var find = Prepare($"SELECT id FROM users WHERE tenant_id = '{Tenancy.Tenants.Default}' AND external_id = $u", ("$u", SqliteType.Text)))
        {
            foreach (var interaction in dataset.Interactions)
            {
                if (!userIds.ContainsKey(interaction.User))
                {
                    Set(insert, interaction.User);
                    Set(find, interaction.User);
                    userIds[interaction.User] = InsertOrFind(insert, find, ref usersAdded);
                }
            }
        }
        progress?.Report(new ImportProgress("users", userIds.Count, usersAdded));

        var interactionsAdded = 0;
        var turnsAdded = 0;
        var turnsTotal = 0;
        using (var insert = Prepare("INSERT INTO interactions (user_id, conversation, step, occurred_at, query_id) VALUES ($u, $c, $s, $t, $q) ON CONFLICT (user_id, conversation, step) DO NOTHING RETURNING id",
                   ("$u", SqliteType.Integer), ("$c", SqliteType.Text), ("$s", SqliteType.Integer), ("$t", SqliteType.Integer), ("$q", SqliteType.Integer)))
        using (var find = Prepare("SELECT id FROM interactions WHERE user_id = $u AND conversation = $c AND step = $s",
                   ("$u", SqliteType.Integer), ("$c", SqliteType.Text), ("$s", SqliteType.Integer)))
        using (var insertTurn = Prepare("INSERT INTO turns (interaction_id, llm_id, response_id, rating) VALUES ($i, $l, $r, $rating) ON CONFLICT (interaction_id, llm_id) DO NOTHING",
                   ("$i", SqliteType.Integer), ("$l", SqliteType.Integer), ("$r", SqliteType.Integer), ("$rating", SqliteType.Real)))
        {
            foreach (var interaction in dataset.Interactions)
            {
                var userId = userIds[interaction.User];
                var queryId = queryIds[interaction.QueryId];
                Set(insert, userId, interaction.Conversation, interaction.Step, interaction.Timestamp.ToUnixTimeMilliseconds(), queryId);
                Set(find, userId, interaction.Conversation, interaction.Step);
                var interactionId = InsertOrFind(insert, find, ref interactionsAdded);
                foreach (var rated in interaction.Ratings)
                {
                    var llmId = llmIds[rated.Llm];
                    if (!responseIds.TryGetValue((queryId, llmId), out var responseId))
                    {
                        throw new InvalidOperationException($"no response of '{rated.Llm}' to query '{interaction.QueryId}' for a rated turn of user '{interaction.User}'");
                    }
                    Set(insertTurn, interactionId, llmId, responseId, rated.Rating);
                    turnsAdded += insertTurn.ExecuteNonQuery();
                    turnsTotal++;
                }
            }
        }
        progress?.Report(new ImportProgress("interactions", dataset.Interactions.Count, interactionsAdded));
        progress?.Report(new ImportProgress("turns", turnsTotal, turnsAdded));
        if (turnsAdded > 0)
        {
            using var refresh = Prepare(RefreshPackedTurns);
            refresh.ExecuteNonQuery();
        }
        cancellationToken.ThrowIfCancellationRequested();

        int linksAdded;
        using (var link = Prepare(GraphSql.LinkTurns))
        {
            linksAdded = link.ExecuteNonQuery();
        }
        progress?.Report(new ImportProgress("turn links", linksAdded, linksAdded));

        return new ImportResult
        {
            Users = usersAdded,
            Queries = queriesAdded,
            Llms = llmsAdded,
            Responses = responsesAdded,
            Interactions = interactionsAdded,
            Turns = turnsAdded,
            TurnLinks = linksAdded,
        };
    }

    public ImportResult ImportQualityTable(QualityTable table, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var llmIds = WriteLlms(table.Catalog, progress, out var llmsAdded);
        var rows = table.Train.Concat(table.Test).ToList();
        var queryIds = WriteQueries(rows.Select(r => (r.Id, "", r.Text)), rows.Count, progress, out var queriesAdded);
        cancellationToken.ThrowIfCancellationRequested();

        var responsesAdded = 0;
        var responsesTotal = 0;
        using (var insert = Prepare("INSERT INTO responses (query_id, llm_id, text, score, cost_usd) VALUES ($q, $l, NULL, $score, NULL) ON CONFLICT (query_id, llm_id) DO NOTHING",
                   ("$q", SqliteType.Integer), ("$l", SqliteType.Integer), ("$score", SqliteType.Real)))
        {
            foreach (var row in rows)
            {
                foreach (var (llm, score) in row.Scores)
                {
                    Set(insert, queryIds[row.Id], llmIds[llm], score);
                    responsesAdded += insert.ExecuteNonQuery();
                    responsesTotal++;
                }
            }
        }
        progress?.Report(new ImportProgress("responses", responsesTotal, responsesAdded));

        return new ImportResult { Users = 0, Queries = queriesAdded, Llms = llmsAdded, Responses = responsesAdded, Interactions = 0, Turns = 0, TurnLinks = 0 };
    }

    private Dictionary<string, long> WriteLlms(IReadOnlyList<LlmInfo> llms, IProgress<ImportProgress>? progress, out int added)
    {
        added = 0;
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        using var insert = Prepare(
            "INSERT INTO llms (name, vendor, description, input_price_per_million, output_price_per_million) VALUES ($n, $v, $d, $in, $out) ON CONFLICT (name) DO NOTHING RETURNING id",
            ("$n", SqliteType.Text), ("$v", SqliteType.Text), ("$d", SqliteType.Text), ("$in", SqliteType.Real), ("$out", SqliteType.Real));
        using var find = Prepare("SELECT id FROM llms WHERE name = $n", ("$n", SqliteType.Text));
        foreach (var llm in llms)
        {
            Set(insert, llm.Name, llm.Vendor, llm.Description, llm.InputPricePerMillion, llm.OutputPricePerMillion);
            Set(find, llm.Name);
            ids[llm.Name] = InsertOrFind(insert, find, ref added);
        }
        progress?.Report(new ImportProgress("LLMs", llms.Count, added));
        return ids;
    }

    private Dictionary<string, long> WriteQueries(IEnumerable<(string Id, string Task, string Text)> queries, int count, IProgress<ImportProgress>? progress, out int added)
    {
        added = 0;
        var ids = new Dictionary<string, long>(count, StringComparer.Ordinal);
        using var insert = Prepare("INSERT INTO queries (external_id, task, text) VALUES ($e, $task, $text) ON CONFLICT (external_id) DO NOTHING RETURNING id",
            ("$e", SqliteType.Text), ("$task", SqliteType.Text), ("$text", SqliteType.Text));
        using var find = Prepare("SELECT id FROM queries WHERE external_id = $e", ("$e", SqliteType.Text));
        foreach (var (id, task, text) in queries)
        {
            Set(insert, id, task, text);
            Set(find, id);
            ids[id] = InsertOrFind(insert, find, ref added);
        }
        progress?.Report(new ImportProgress("queries", count, added));
        return ids;
    }

    private static long InsertOrFind(SqliteCommand insert, SqliteCommand find, ref int added)
    {
        if (insert.ExecuteScalar() is long id)
        {
            added++;
            return id;
        }
        return find.ExecuteScalar() is long existing
            ? existing
            : throw new InvalidOperationException($"neither inserted nor found: {find.CommandText}");
    }

    private SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _transaction;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }
        command.Prepare();
        return command;
    }

    private static void Set(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    /// <summary>Brings every interaction's packed copy of its turns (migration 0002) up to date with the turns table.</summary>
    private const string RefreshPackedTurns = """
        UPDATE interactions SET turns_packed = p.packed
        FROM (SELECT t.interaction_id AS id,
                     group_concat(t.llm_id || ',' || t.rating || ',' || t.response_id, ';' ORDER BY t.id) AS packed
              FROM turns t GROUP BY t.interaction_id) p
        WHERE p.id = interactions.id AND interactions.turns_packed IS NOT p.packed
        """;
}
