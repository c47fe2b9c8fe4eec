using GraphRouter.Storage.Changes;
using GraphRouter.Storage.Feedback;
using GraphRouter.Storage.History;
using GraphRouter.Storage.Tenancy;

namespace GraphRouter.Storage.Sqlite;

/// <summary>Feedback and user summaries on the SQLite store.</summary>
public sealed partial class SqliteGraphStore
{
    private readonly Lock _feedbackQueueLock = new();
    private List<PendingFeedback> _feedbackQueue = [];
    private bool _feedbackFlushing;
    private SqliteFeedbackWriter? _feedbackWriter;

    /// <summary>
    /// Group commit: feedback that arrives while a commit is on its way to disk waits for the next one, and each
    /// commit writes every waiting feedback in one transaction (one disk sync for all of them), each inside its
    /// own savepoint, so one that fails (conflict, unknown model) is undone alone and the others still commit.
    /// Every caller is answered only after the transaction holding its feedback has committed.
    /// </summary>
    public Task<FeedbackWriteResult> RecordFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken = default)
    {
        FeedbackValidation.Validate(feedback);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingFeedback(feedback);
        bool flush;
        lock (_feedbackQueueLock)
        {
            _feedbackQueue.Add(pending);
            flush = !_feedbackFlushing;
            _feedbackFlushing = true;
        }
        if (flush)
        {
            _ = FlushFeedbackAsync();
        }
        return pending.Completion.Task;
    }

    private async Task FlushFeedbackAsync()
    {
        while (true)
        {
            List<PendingFeedback> batch;
            lock (_feedbackQueueLock)
            {
                if (_feedbackQueue.Count == 0)
                {
                    _feedbackFlushing = false;
                    return;
                }
                batch = _feedbackQueue;
                _feedbackQueue = [];
            }
            try
            {
                var outcomes = await GatedAsync(() => WriteFeedbackBatch(batch), CancellationToken.None);
                for (var i = 0; i < batch.Count; i++)
                {
                    if (outcomes[i].Error is { } error)
                    {
                        batch[i].Completion.TrySetException(error);
                    }
                    else
                    {
                        batch[i].Completion.TrySetResult(outcomes[i].Result!);
                    }
                }
            }
            catch (Exception e)
            {
                // The transaction did not commit: none of the batch was stored, and none is acknowledged.
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(e);
                }
            }
        }
    }

    private (FeedbackWriteResult? Result, Exception? Error)[] WriteFeedbackBatch(List<PendingFeedback> batch)
    {
        // Prepared once, outside any transaction, then reused by every write under the gate.
        _feedbackWriter ??= new SqliteFeedbackWriter(_connection);
        var outcomes = new (FeedbackWriteResult?, Exception?)[batch.Count];
        var now = NowMilliseconds();
        var written = false;
        using var transaction = _connection.BeginTransaction(deferred: false);
        for (var i = 0; i < batch.Count; i++)
        {
            transaction.Save("feedback");
            try
            {
                var result = _feedbackWriter.Write(batch[i].Record, transaction, now);
                if (result.Duplicate)
                {
                    transaction.Rollback("feedback");
                }
                else
                {
                    // Inside the savepoint: an item undone later in this batch leaves no change behind.
                    WriteChange(transaction, StoreChangeKind.Feedback, batch[i].Record.User.ToChangeKey());
                    transaction.Release("feedback");
                    written = true;
                }
                outcomes[i] = (result, null);
            }
            catch (Exception e) when (e is StoreConflictException or StoreNotFoundException or ArgumentException)
            {
                transaction.Rollback("feedback");
                outcomes[i] = (null, e);
            }
        }
        if (written)
        {
            transaction.Commit();
            _checkpointer.Committed();
        }
        else
        {
            transaction.Rollback();
        }
        return outcomes;
    }

    private sealed class PendingFeedback(FeedbackRecord record)
    {
        public FeedbackRecord Record { get; } = record;
        public TaskCompletionSource<FeedbackWriteResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task<UserSummary?> GetUserSummaryAsync(TenantUser user, CancellationToken cancellationToken = default)
    {
        user.Validate();
        return await GatedAsync(() =>
        {
            using var command = Command("""
                SELECT (SELECT COUNT(*) FROM interactions WHERE user_id = u.id),
                       (SELECT MAX(occurred_at) FROM interactions WHERE user_id = u.id)
                FROM users u WHERE u.tenant_id = $t AND u.external_id = $u
                """);
            command.Parameters.AddWithValue("$t", user.Tenant);
            command.Parameters.AddWithValue("$u", user.UserId);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new UserSummary { Tenant = user.Tenant, ExternalId = user.UserId, Interactions = reader.GetInt32(0), LastSeen = OptionalTime(reader, 1) }
                : null;
        }, cancellationToken);
    }
}
