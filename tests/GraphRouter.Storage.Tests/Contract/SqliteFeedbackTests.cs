namespace GraphRouter.Storage.Tests.Contract;

public sealed class SqliteFeedbackTests(SqliteStoreFixture fixture) : FeedbackContract(fixture), IClassFixture<SqliteStoreFixture>
{
    protected override string StalePackedTurnsSql => """
        SELECT COUNT(*) FROM interactions i
        WHERE i.turns_packed IS NOT (SELECT group_concat(t.llm_id || ',' || t.rating || ',' || t.response_id, ';' ORDER BY t.id) FROM turns t WHERE t.interaction_id = i.id)
        """;
}
