using GraphRouter.Storage.Feedback;
using Npgsql;
using NpgsqlTypes;

namespace GraphRouter.Storage.Postgres;

/// <summary>
/// Writes one feedback inside the caller's READ COMMITTED transaction in few round trips. The user's row
/// is locked first (<c>FOR NO KEY UPDATE</c>), so one user's feedback is written one at a time: a replay
/// of the same key then sees the first write committed, and the Turn-&gt;Turn links of adjacent steps see
/// each other. Races it cannot lock out (a new user, a key reused by another user) end at a unique key:
/// the insert does nothing and the caller re-reads what won.
/// </summary>
internal sealed class PostgresFeedbackWriter
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    /// <summary>A key's fingerprint: keys are unique per tenant (migration 0008), so the primary key (tenant_id, idempotency_key) answers.</summary>
    internal const string FindKeySql = "SELECT request_fingerprint FROM feedback_keys WHERE tenant_id = $1 AND idempotency_key = $2";

    /// <summary>A user's id, locked, by the unique index on (tenant_id, external_id).</summary>
    internal const string LockUserSql = "SELECT id FROM users WHERE tenant_id = $1 AND external_id = $2 FOR NO KEY UPDATE";

    public PostgresFeedbackWriter(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>The outcome of one attempt: a result, or the key taken by a concurrent writer (the caller rolls back and re-reads it).</summary>
    public sealed record Outcome(FeedbackWriteResult? Result, bool KeyTakenConcurrently);

    public async Task<Outcome> WriteAsync(FeedbackRecord feedback, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var names = feedback.Responses.Select(r => r.Llm).ToArray();
        var queryExternalId = FeedbackConventions.QueryExternalId(feedback.QueryText);

        // One round trip: lock the user (when known), then, each statement with a fresh snapshot taken
        // after the lock, the key (within the tenant), the tenant, the LLMs, the query and its existing responses.
        long? userId = null;
        string? fingerprint = null;
        var tenantExists = false;
        var llmIds = new Dictionary<string, long>(StringComparer.Ordinal);
        long? queryId = null;
        var responseIds = new Dictionary<long, long>();
        await using (var batch = new NpgsqlBatch(_connection, _transaction))
        {
            batch.BatchCommands.Add(Command(LockUserSql, Text(feedback.Tenant), Text(feedback.UserExternalId)));
            batch.BatchCommands.Add(Command(FindKeySql, Text(feedback.Tenant), Text(feedback.IdempotencyKey)));
            batch.BatchCommands.Add(Command("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $1)", Text(feedback.Tenant)));
            batch.BatchCommands.Add(Command("SELECT name, id FROM llms WHERE name = ANY($1)", new NpgsqlParameter<string[]> { TypedValue = names }));
            batch.BatchCommands.Add(Command("SELECT id FROM queries WHERE external_id = $1", Text(queryExternalId)));
            batch.BatchCommands.Add(Command("SELECT r.llm_id, r.id FROM responses r JOIN queries q ON q.id = r.query_id WHERE q.external_id = $1", Text(queryExternalId)));
            await using var reader = await batch.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                userId = reader.GetInt64(0);
            }
            await reader.NextResultAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                fingerprint = reader.GetString(0);
            }
            await reader.NextResultAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                tenantExists = reader.GetBoolean(0);
            }
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                llmIds[reader.GetString(0)] = reader.GetInt64(1);
            }
            await reader.NextResultAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                queryId = reader.GetInt64(0);
            }
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                responseIds[reader.GetInt64(0)] = reader.GetInt64(1);
            }
        }

        if (!tenantExists)
        {
            // Tenants are never deleted: checked once, before anything is written, it stays true.
            throw new StoreNotFoundException(StoreNotFoundException.Tenant, [feedback.Tenant]);
        }
        if (fingerprint is not null)
        {
            return new Outcome(await DuplicateOrConflictAsync(fingerprint, feedback, ct), false);
        }
        var missing = names.Where(n => !llmIds.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            throw new StoreNotFoundException(StoreNotFoundException.Model, missing);
        }

        userId ??= await InsertOrLockUserAsync(feedback.Tenant, feedback.UserExternalId, ct);
        queryId ??= await InsertOrFindAsync(
            "INSERT INTO queries (external_id, task, text) VALUES ($1, '', $2) ON CONFLICT (external_id) DO NOTHING RETURNING id",
            "SELECT id FROM queries WHERE external_id = $1",
            [Text(queryExternalId), Text(feedback.QueryText)], [Text(queryExternalId)], ct);
        await AddMissingResponsesAsync(queryId.Value, feedback, llmIds, responseIds, ct);

        var conversation = feedback.Conversation ?? FeedbackConventions.ConversationFor(feedback.IdempotencyKey);
        var interactionId = await ScalarAsync<long?>("""
            INSERT INTO interactions (user_id, conversation, step, occurred_at, query_id) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (user_id, conversation, step) DO NOTHING RETURNING id
            """, ct, Bigint(userId.Value), Text(conversation), new NpgsqlParameter<int> { TypedValue = feedback.Step },
            new NpgsqlParameter<DateTimeOffset> { TypedValue = feedback.OccurredAt.ToUniversalTime() }, Bigint(queryId.Value));
        if (interactionId is null)
        {
            // The step is taken: by a concurrent writer of this very key (then it is a replay), or for real.
            var winner = await ScalarAsync<string?>(FindKeySql, ct, Text(feedback.Tenant), Text(feedback.IdempotencyKey));
            return winner is not null
                ? new Outcome(await DuplicateOrConflictAsync(winner, feedback, ct), false)
                : throw StoreErrors.StepConflict(feedback.UserExternalId, conversation, feedback.Step);
        }

        // One round trip: the turns in the given order, their packed copy (migration 0002), the links to the
        // neighbouring steps, the key, and the user's count.
        var turnLlms = names.Select(n => llmIds[n]).ToArray();
        await using (var batch = new NpgsqlBatch(_connection, _transaction))
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO turns (interaction_id, llm_id, response_id, rating)
                SELECT $1, x.l, x.r, x.rating FROM unnest($2::bigint[], $3::bigint[], $4::double precision[]) WITH ORDINALITY AS x(l, r, rating, n)
                ORDER BY x.n
                """, Bigint(interactionId.Value), Bigints(turnLlms), Bigints(turnLlms.Select(l => responseIds[l]).ToArray()),
                new NpgsqlParameter<double[]> { TypedValue = feedback.Responses.Select(r => r.Rating).ToArray() }));
            batch.BatchCommands.Add(Command("""
                UPDATE interactions SET turns_packed =
                    (SELECT string_agg(llm_id || ',' || rating || ',' || response_id, ';' ORDER BY id) FROM turns WHERE interaction_id = $1)
                WHERE id = $1
                """, Bigint(interactionId.Value)));
            batch.BatchCommands.Add(Command("""
                INSERT INTO turn_links (turn_id, previous_turn_id)
                SELECT t.id, p.id
                FROM interactions pi
                JOIN turns p ON p.interaction_id = pi.id
                JOIN turns t ON t.interaction_id = $1
                WHERE pi.user_id = $2 AND pi.conversation = $3 AND pi.step = $4 - 1
                ON CONFLICT DO NOTHING
                """, Bigint(interactionId.Value), Bigint(userId.Value), Text(conversation), new NpgsqlParameter<int> { TypedValue = feedback.Step }));
            batch.BatchCommands.Add(Command("""
                INSERT INTO turn_links (turn_id, previous_turn_id)
                SELECT n.id, t.id
                FROM interactions ni
                JOIN turns n ON n.interaction_id = ni.id
                JOIN turns t ON t.interaction_id = $1
                WHERE ni.user_id = $2 AND ni.conversation = $3 AND ni.step = $4 + 1
                ON CONFLICT DO NOTHING
                """, Bigint(interactionId.Value), Bigint(userId.Value), Text(conversation), new NpgsqlParameter<int> { TypedValue = feedback.Step }));
            var key = Command("""
                INSERT INTO feedback_keys (tenant_id, idempotency_key, interaction_id, received_at, request_fingerprint, decision_id)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
                """, Text(feedback.Tenant), Text(feedback.IdempotencyKey), Bigint(interactionId.Value), new NpgsqlParameter<DateTimeOffset> { TypedValue = receivedAt.ToUniversalTime() },
                Text(feedback.RequestFingerprint), new NpgsqlParameter { Value = (object?)feedback.DecisionId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            batch.BatchCommands.Add(key);
            batch.BatchCommands.Add(Command("SELECT COUNT(*) FROM interactions WHERE user_id = $1", Bigint(userId.Value)));
            long count = 0;
            await using (var reader = await batch.ExecuteReaderAsync(ct))
            {
                do
                {
                    if (await reader.ReadAsync(ct))
                    {
                        count = reader.GetInt64(0);
                    }
                }
                while (await reader.NextResultAsync(ct));
            }
            return key.RecordsAffected == 1
                ? new Outcome(new FeedbackWriteResult { Duplicate = false, UserInteractions = checked((int)count) }, false)
                : new Outcome(null, KeyTakenConcurrently: true);
        }
    }

    /// <summary>The key is recorded: a replay when its fingerprint is this request's, else a conflict.</summary>
    private async Task<FeedbackWriteResult> DuplicateOrConflictAsync(string storedFingerprint, FeedbackRecord feedback, CancellationToken ct)
    {
        if (storedFingerprint != feedback.RequestFingerprint)
        {
            throw StoreErrors.KeyConflict(feedback.IdempotencyKey);
        }
        var count = await ScalarAsync<long>("SELECT COUNT(*) FROM interactions WHERE user_id = (SELECT id FROM users WHERE tenant_id = $1 AND external_id = $2)", ct,
            Text(feedback.Tenant), Text(feedback.UserExternalId));
        return new FeedbackWriteResult { Duplicate = true, UserInteractions = checked((int)count) };
    }

    /// <summary>Inserts a new user (the inserting transaction holds the new row), or, when a concurrent writer inserted it first, waits for and locks that row.</summary>
    private Task<long> InsertOrLockUserAsync(string tenant, string user, CancellationToken ct) =>
        InsertOrFindAsync(
            "INSERT INTO users (tenant_id, external_id) VALUES ($1, $2) ON CONFLICT (tenant_id, external_id) DO NOTHING RETURNING id",
            LockUserSql,
            [Text(tenant), Text(user)], [Text(tenant), Text(user)], ct);

    /// <summary>Inserts the responses this query lacks, in LLM id order (concurrent writers lock them in the same order), and fills <paramref name="responseIds"/>.</summary>
    private async Task AddMissingResponsesAsync(long queryId, FeedbackRecord feedback, Dictionary<string, long> llmIds, Dictionary<long, long> responseIds, CancellationToken ct)
    {
        var missing = feedback.Responses.Where(r => !responseIds.ContainsKey(llmIds[r.Llm])).OrderBy(r => llmIds[r.Llm]).ToList();
        if (missing.Count == 0)
        {
            return;
        }
        var llms = missing.Select(r => llmIds[r.Llm]).ToArray();
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO responses (query_id, llm_id, text, score, cost_usd)
            SELECT $1, x.l, x.t, NULL, x.c FROM unnest($2::bigint[], $3::text[], $4::double precision[]) AS x(l, t, c)
            ORDER BY x.l
            ON CONFLICT (query_id, llm_id) DO NOTHING
            RETURNING llm_id, id
            """, _connection, _transaction))
        {
            insert.Parameters.Add(Bigint(queryId));
            insert.Parameters.Add(Bigints(llms));
            insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = missing.Select(r => r.Text).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter<double?[]> { TypedValue = missing.Select(r => r.CostUsd).ToArray() });
            await using var reader = await insert.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                responseIds[reader.GetInt64(0)] = reader.GetInt64(1);
            }
        }
        var raced = llms.Where(l => !responseIds.ContainsKey(l)).ToArray();
        if (raced.Length == 0)
        {
            return;
        }
        // Inserted by a concurrent writer since the first read: a new statement sees them committed.
        await using var find = new NpgsqlCommand("SELECT llm_id, id FROM responses WHERE query_id = $1 AND llm_id = ANY($2)", _connection, _transaction);
        find.Parameters.Add(Bigint(queryId));
        find.Parameters.Add(Bigints(raced));
        await using (var reader = await find.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                responseIds[reader.GetInt64(0)] = reader.GetInt64(1);
            }
        }
        if (raced.Any(l => !responseIds.ContainsKey(l)))
        {
            throw new InvalidOperationException($"responses of query {queryId} were neither inserted nor found");
        }
    }

    private async Task<long> InsertOrFindAsync(string insertSql, string findSql, NpgsqlParameter[] insertParameters, NpgsqlParameter[] findParameters, CancellationToken ct) =>
        await ScalarAsync<long?>(insertSql, ct, insertParameters)
        ?? await ScalarAsync<long?>(findSql, ct, findParameters)
        ?? throw new InvalidOperationException($"neither inserted nor found: {findSql}");

    private async Task<T> ScalarAsync<T>(string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, _connection, _transaction);
        command.Parameters.AddRange(parameters);
        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? default! : (T)value;
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value };

    private static NpgsqlParameter<long> Bigint(long value) => new() { TypedValue = value };

    private static NpgsqlParameter<long[]> Bigints(long[] values) => new() { TypedValue = values };
}
