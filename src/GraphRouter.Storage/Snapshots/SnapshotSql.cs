namespace GraphRouter.Storage.Snapshots;

/// <summary>The reads of a snapshot, the same SQL on both backends; each is run inside the one read transaction.</summary>
internal static class SnapshotSql
{
    public const string Llms = "SELECT name, vendor, description, input_price_per_million, output_price_per_million FROM llms ORDER BY id";

    public const string Queries = "SELECT external_id, task, text FROM queries ORDER BY id";

    /// <summary>Responses with a measured score, a cost and a text: the ones an <see cref="Core.Domain.Outcome"/> can hold.</summary>
    public const string Outcomes = """
        SELECT q.external_id, l.name, r.score, r.cost_usd, r.text
        FROM responses r JOIN queries q ON q.id = r.query_id JOIN llms l ON l.id = r.llm_id
        WHERE r.score IS NOT NULL AND r.cost_usd IS NOT NULL AND r.text IS NOT NULL
        ORDER BY r.id
        """;

    /// <summary>Every user with its tenant, for <see cref="SnapshotUserNames"/>.</summary>
    public const string Users = "SELECT tenant_id, external_id FROM users ORDER BY id";

    /// <summary>Users in the order they were stored, each one's interactions in time order.</summary>
    public const string Interactions = """
        SELECT i.id, u.tenant_id, u.external_id, i.conversation, i.step, i.occurred_at, q.external_id
        FROM interactions i JOIN users u ON u.id = i.user_id JOIN queries q ON q.id = i.query_id
        ORDER BY i.user_id, i.occurred_at, i.id
        """;

    public const string Turns = "SELECT t.interaction_id, l.name, t.rating FROM turns t JOIN llms l ON l.id = t.llm_id ORDER BY t.interaction_id, t.id";

    public const string Feedback = "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM feedback_keys WHERE interaction_id IS NOT NULL";
}
