using GraphRouter.Storage.Feedback;
using GraphRouter.Storage.History;

namespace GraphRouter.Storage.Sqlite;

/// <summary>Feedback and user summaries on the SQLite store.</summary>
public sealed partial class SqliteGraphStore
{
    private SqliteFeedbackWriter? _feedbackWriter;

    public async Task<FeedbackWriteResult> RecordFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken = default)
    {
        FeedbackValidation.Validate(feedback);
        return await GatedAsync(() =>
        {
            // Prepared once, outside any transaction, then reused by every write under the gate.
            _feedbackWriter ??= new SqliteFeedbackWriter(_connection);
            using var transaction = _connection.BeginTransaction(deferred: false);
            var result = _feedbackWriter.Write(feedback, transaction, NowMilliseconds());
            if (result.Duplicate)
            {
                transaction.Rollback();
            }
            else
            {
                transaction.Commit();
                _checkpointer.Committed();
            }
            return result;
        }, cancellationToken);
    }

    public async Task<UserSummary?> GetUserSummaryAsync(string userExternalId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userExternalId);
        return await GatedAsync(() =>
        {
            using var command = Command("""
                SELECT (SELECT COUNT(*) FROM interactions WHERE user_id = u.id),
                       (SELECT MAX(occurred_at) FROM interactions WHERE user_id = u.id)
                FROM users u WHERE u.external_id = $u
                """);
            command.Parameters.AddWithValue("$u", userExternalId);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new UserSummary { ExternalId = userExternalId, Interactions = reader.GetInt32(0), LastSeen = OptionalTime(reader, 1) }
                : null;
        }, cancellationToken);
    }
}
