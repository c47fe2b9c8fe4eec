namespace GraphRouter.Storage.Import;

/// <summary>SQL that both backends run as it is.</summary>
internal static class GraphSql
{
    /// <summary>Links every turn of step s to every turn of step s - 1 of the same (user, conversation); existing links stay.</summary>
    public const string LinkTurns = """
        INSERT INTO turn_links (turn_id, previous_turn_id)
        SELECT t.id, p.id
        FROM interactions i
        JOIN interactions pi ON pi.user_id = i.user_id AND pi.conversation = i.conversation AND pi.step = i.step - 1
        JOIN turns t ON t.interaction_id = i.id
        JOIN turns p ON p.interaction_id = pi.id
        WHERE i.step > 0
        ON CONFLICT DO NOTHING
        """;
}
