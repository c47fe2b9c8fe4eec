using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Storage.Tests.Contract;

[RequiresPostgres]
public sealed class PostgresFeedbackTests(PostgresStoreFixture fixture) : FeedbackContract(fixture), IClassFixture<PostgresStoreFixture>
{
    protected override string StalePackedTurnsSql => """
        SELECT COUNT(*) FROM interactions i
        WHERE i.turns_packed IS DISTINCT FROM (SELECT string_agg(t.llm_id || ',' || t.rating || ',' || t.response_id, ';' ORDER BY t.id) FROM turns t WHERE t.interaction_id = i.id)
        """;
}
