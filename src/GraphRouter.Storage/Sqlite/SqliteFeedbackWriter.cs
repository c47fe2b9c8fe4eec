using System.Globalization;
using GraphRouter.Storage.Feedback;
using Microsoft.Data.Sqlite;

namespace GraphRouter.Storage.Sqlite;

/// <summary>
/// Writes one feedback inside the caller's <c>BEGIN IMMEDIATE</c> transaction with statements prepared
/// once per store: the write lock is held from the first read, so the key check, the inserts and the key
/// record see one state and no other writer (thread, store or process) can interleave.
/// </summary>
internal sealed class SqliteFeedbackWriter : IDisposable
{
    private readonly SqliteCommand _findKey;
    private readonly SqliteCommand _findTenant;
    private readonly SqliteCommand _findLlm;
    private readonly SqliteCommand _insertUser;
    private readonly SqliteCommand _findUser;
    private readonly SqliteCommand _insertQuery;
    private readonly SqliteCommand _findQuery;
    private readonly SqliteCommand _insertResponse;
    private readonly SqliteCommand _findResponse;
    private readonly SqliteCommand _insertInteraction;
    private readonly SqliteCommand _insertTurn;
    private readonly SqliteCommand _packTurns;
    private readonly SqliteCommand _linkPrevious;
    private readonly SqliteCommand _linkNext;
    private readonly SqliteCommand _insertKey;
    private readonly SqliteCommand _countByUserId;
    private readonly SqliteCommand _countByExternalId;
    private readonly SqliteCommand[] _all;

    // LLM ids by name. A registered model is never renamed or deleted, so a hit stays true; a miss is
    // always asked of the database (another store on the file may have registered it since).
    private readonly Dictionary<string, long> _llmIds = new(StringComparer.Ordinal);

    // Tenants seen to exist. A tenant is never deleted, so a hit stays true; a miss is asked of the database.
    private readonly HashSet<string> _tenants = new(StringComparer.Ordinal);

    /// <summary>A key's fingerprint: keys are unique per tenant (migration 0008), so the primary key (tenant_id, idempotency_key) answers.</summary>
    internal const string FindKeySql = "SELECT request_fingerprint FROM feedback_keys WHERE tenant_id = $t AND idempotency_key = $k";

    /// <summary>A user's id, by the unique index on (tenant_id, external_id).</summary>
    internal const string FindUserSql = "SELECT id FROM users WHERE tenant_id = $t AND external_id = $u";

    public SqliteFeedbackWriter(SqliteConnection connection)
    {
        SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, type) in parameters)
            {
                command.Parameters.Add(name, type);
            }
            return command;
        }

        _findKey = Prepare(FindKeySql, ("$t", SqliteType.Text), ("$k", SqliteType.Text));
        _findTenant = Prepare("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $t)", ("$t", SqliteType.Text));
        _findLlm = Prepare("SELECT id FROM llms WHERE name = $n", ("$n", SqliteType.Text));
        _insertUser = Prepare("INSERT INTO users (tenant_id, external_id) VALUES ($t, $u) ON CONFLICT (tenant_id, external_id) DO NOTHING RETURNING id",
            ("$t", SqliteType.Text), ("$u", SqliteType.Text));
        _findUser = Prepare(FindUserSql, ("$t", SqliteType.Text), ("$u", SqliteType.Text));
        _insertQuery = Prepare("INSERT INTO queries (external_id, task, text) VALUES ($e, '', $text) ON CONFLICT (external_id) DO NOTHING RETURNING id",
            ("$e", SqliteType.Text), ("$text", SqliteType.Text));
        _findQuery = Prepare("SELECT id FROM queries WHERE external_id = $e", ("$e", SqliteType.Text));
        _insertResponse = Prepare("INSERT INTO responses (query_id, llm_id, text, score, cost_usd) VALUES ($q, $l, $text, NULL, $cost) ON CONFLICT (query_id, llm_id) DO NOTHING RETURNING id",
            ("$q", SqliteType.Integer), ("$l", SqliteType.Integer), ("$text", SqliteType.Text), ("$cost", SqliteType.Real));
        _findResponse = Prepare("SELECT id FROM responses WHERE query_id = $q AND llm_id = $l", ("$q", SqliteType.Integer), ("$l", SqliteType.Integer));
        _insertInteraction = Prepare("""
            INSERT INTO interactions (user_id, conversation, step, occurred_at, query_id) VALUES ($u, $c, $s, $t, $q)
            ON CONFLICT (user_id, conversation, step) DO NOTHING RETURNING id
            """, ("$u", SqliteType.Integer), ("$c", SqliteType.Text), ("$s", SqliteType.Integer), ("$t", SqliteType.Integer), ("$q", SqliteType.Integer));
        _insertTurn = Prepare("INSERT INTO turns (interaction_id, llm_id, response_id, rating) VALUES ($i, $l, $r, $rating)",
            ("$i", SqliteType.Integer), ("$l", SqliteType.Integer), ("$r", SqliteType.Integer), ("$rating", SqliteType.Real));
        // The packed copy (migration 0002), built by the same expression as the import's refresh, so that
        // a later import finds it up to date and both writers agree to the byte.
        _packTurns = Prepare("""
            UPDATE interactions SET turns_packed =
                (SELECT group_concat(t.llm_id || ',' || t.rating || ',' || t.response_id, ';' ORDER BY t.id) FROM turns t WHERE t.interaction_id = $i)
            WHERE id = $i
            """, ("$i", SqliteType.Integer));
        // Turn->Turn edges (GraphSql.LinkTurns) for this interaction only: from the previous step's turns,
        // and to the next step's turns when feedback for a later step arrived first.
        _linkPrevious = Prepare("""
            INSERT INTO turn_links (turn_id, previous_turn_id)
            SELECT t.id, p.id
            FROM interactions pi
            JOIN turns p ON p.interaction_id = pi.id
            JOIN turns t ON t.interaction_id = $i
            WHERE pi.user_id = $u AND pi.conversation = $c AND pi.step = $s - 1
            ON CONFLICT DO NOTHING
            """, ("$i", SqliteType.Integer), ("$u", SqliteType.Integer), ("$c", SqliteType.Text), ("$s", SqliteType.Integer));
        _linkNext = Prepare("""
            INSERT INTO turn_links (turn_id, previous_turn_id)
            SELECT n.id, t.id
            FROM interactions ni
            JOIN turns n ON n.interaction_id = ni.id
            JOIN turns t ON t.interaction_id = $i
            WHERE ni.user_id = $u AND ni.conversation = $c AND ni.step = $s + 1
            ON CONFLICT DO NOTHING
            """, ("$i", SqliteType.Integer), ("$u", SqliteType.Integer), ("$c", SqliteType.Text), ("$s", SqliteType.Integer));
        // The write lock is held, so MAX(seq) + 1 numbers feedback in commit order (migration 0005).
        _insertKey = Prepare("""
            INSERT INTO feedback_keys (tenant_id, idempotency_key, interaction_id, received_at, request_fingerprint, decision_id, seq)
            VALUES ($tenant, $k, $i, $t, $f, $d, (SELECT COALESCE(MAX(seq), 0) + 1 FROM feedback_keys))
            """, ("$tenant", SqliteType.Text), ("$k", SqliteType.Text), ("$i", SqliteType.Integer), ("$t", SqliteType.Integer), ("$f", SqliteType.Text), ("$d", SqliteType.Text));
        _countByUserId = Prepare("SELECT COUNT(*) FROM interactions WHERE user_id = $u", ("$u", SqliteType.Integer));
        _countByExternalId = Prepare("SELECT COUNT(*) FROM interactions WHERE user_id = (SELECT id FROM users WHERE tenant_id = $t AND external_id = $u)",
            ("$t", SqliteType.Text), ("$u", SqliteType.Text));
        _all = [_findKey, _findTenant, _findLlm, _insertUser, _findUser, _insertQuery, _findQuery, _insertResponse, _findResponse, _insertInteraction,
            _insertTurn, _packTurns, _linkPrevious, _linkNext, _insertKey, _countByUserId, _countByExternalId];
        foreach (var command in _all)
        {
            command.Prepare();
        }
    }

    /// <summary>Records <paramref name="feedback"/> (validated) in <paramref name="transaction"/>; throws, leaving the rollback to the caller, on a conflict or an unknown LLM.</summary>
    public FeedbackWriteResult Write(FeedbackRecord feedback, SqliteTransaction transaction, long receivedAtMilliseconds)
    {
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }

        if (Scalar(_findKey, feedback.Tenant, feedback.IdempotencyKey) is string fingerprint)
        {
            return fingerprint == feedback.RequestFingerprint
                ? new FeedbackWriteResult { Duplicate = true, UserInteractions = Count(_countByExternalId, feedback.Tenant, feedback.UserExternalId) }
                : throw StoreErrors.KeyConflict(feedback.IdempotencyKey);
        }

        var llmIds = new long[feedback.Responses.Count];
        List<string>? missing = null;
        for (var k = 0; k < llmIds.Length; k++)
        {
            var name = feedback.Responses[k].Llm;
            if (_llmIds.TryGetValue(name, out var cached))
            {
                llmIds[k] = cached;
            }
            else if (Scalar(_findLlm, name) is long id)
            {
                llmIds[k] = _llmIds[name] = id;
            }
            else
            {
                (missing ??= []).Add(name);
            }
        }
        if (missing is not null)
        {
            throw new StoreNotFoundException(StoreNotFoundException.Model, missing);
        }

        // Most feedback comes from known users: look the user up first, insert only when missing (into a tenant that
        // exists: a foreign-key failure here would abort the whole group commit, not this feedback alone).
        var userId = Scalar(_findUser, feedback.Tenant, feedback.UserExternalId) as long? ?? InsertUser(feedback.Tenant, feedback.UserExternalId);
        var queryExternalId = FeedbackConventions.QueryExternalId(feedback.QueryText);
        var queryId = InsertOrFind(_insertQuery, _findQuery, [queryExternalId, feedback.QueryText], [queryExternalId]);
        var conversation = feedback.Conversation ?? FeedbackConventions.ConversationFor(feedback.IdempotencyKey);

        if (Scalar(_insertInteraction, userId, conversation, feedback.Step, feedback.OccurredAt.ToUnixTimeMilliseconds(), queryId) is not long interactionId)
        {
            throw StoreErrors.StepConflict(feedback.UserExternalId, conversation, feedback.Step);
        }
        for (var k = 0; k < llmIds.Length; k++)
        {
            var response = feedback.Responses[k];
            var responseId = InsertOrFind(_insertResponse, _findResponse, [queryId, llmIds[k], response.Text, response.CostUsd], [queryId, llmIds[k]]);
            Execute(_insertTurn, interactionId, llmIds[k], responseId, response.Rating);
        }
        Execute(_packTurns, interactionId);
        if (feedback.Conversation is not null)
        {
            // A conversation derived from the key is this interaction's alone: it has no neighbouring steps.
            Execute(_linkPrevious, interactionId, userId, conversation, feedback.Step);
            Execute(_linkNext, interactionId, userId, conversation, feedback.Step);
        }
        Execute(_insertKey, feedback.Tenant, feedback.IdempotencyKey, interactionId, receivedAtMilliseconds, feedback.RequestFingerprint, feedback.DecisionId);
        return new FeedbackWriteResult { Duplicate = false, UserInteractions = Count(_countByUserId, userId) };
    }

    private long InsertUser(string tenant, string user)
    {
        if (!_tenants.Contains(tenant))
        {
            if (Convert.ToInt64(Scalar(_findTenant, tenant), CultureInfo.InvariantCulture) != 1)
            {
                throw new StoreNotFoundException(StoreNotFoundException.Tenant, [tenant]);
            }
            _tenants.Add(tenant);
        }
        return InsertOrFind(_insertUser, _findUser, [tenant, user], [tenant, user]);
    }

    private static long InsertOrFind(SqliteCommand insert, SqliteCommand find, object?[] insertValues, object?[] findValues) =>
        Scalar(insert, insertValues) is long id ? id
        : Scalar(find, findValues) is long existing ? existing
        : throw new InvalidOperationException($"neither inserted nor found: {find.CommandText}");

    private static int Count(SqliteCommand command, params object[] values) =>
        Convert.ToInt32(Scalar(command, values), CultureInfo.InvariantCulture);

    private static object? Scalar(SqliteCommand command, params object?[] values)
    {
        Bind(command, values);
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteCommand command, params object?[] values)
    {
        Bind(command, values);
        command.ExecuteNonQuery();
    }

    private static void Bind(SqliteCommand command, object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    public void Dispose()
    {
        foreach (var command in _all)
        {
            command.Dispose();
        }
    }
}
