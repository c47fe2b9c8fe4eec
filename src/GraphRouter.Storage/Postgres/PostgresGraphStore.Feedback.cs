using System.Data;
using System.Net.Sockets;
using GraphRouter.Storage.Changes;
using GraphRouter.Storage.Feedback;
using GraphRouter.Storage.History;
using GraphRouter.Storage.Tenancy;
using Npgsql;

namespace GraphRouter.Storage.Postgres;

/// <summary>Feedback, user summaries and the readiness ping on the PostgreSQL store.</summary>
public sealed partial class PostgresGraphStore
{
    // A write aborted by the server for a deadlock or a serialization failure is retried whole.
    private const int MaxAttempts = 5;

    public async Task<FeedbackWriteResult> RecordFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken = default)
    {
        FeedbackValidation.Validate(feedback);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                PostgresFeedbackWriter.Outcome outcome;
                await using (var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken))
                {
                    outcome = await new PostgresFeedbackWriter(connection, transaction).WriteAsync(feedback, _time.GetUtcNow(), cancellationToken);
                    if (outcome.Result is { Duplicate: false })
                    {
                        await WriteChangeAsync(connection, transaction, StoreChangeKind.Feedback, feedback.User.ToChangeKey(), cancellationToken);
                        await transaction.CommitAsync(cancellationToken);
                    }
                    else
                    {
                        await transaction.RollbackAsync(cancellationToken);
                    }
                }
                if (outcome.Result is not null)
                {
                    return outcome.Result;
                }
                // Another writer recorded this key between our read and our insert: everything we wrote is
                // rolled back, and the next attempt reads the key it committed (a replay or a conflict).
            }
            catch (PostgresException e) when (IsTransient(e) && attempt < MaxAttempts)
            {
                // Rolled back by the server; the next attempt starts over from the key check.
            }
            if (attempt >= MaxAttempts)
            {
                throw new InvalidOperationException($"feedback '{feedback.IdempotencyKey}': no consistent outcome after {MaxAttempts} attempts");
            }
        }
    }

    private static bool IsTransient(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.UniqueViolation;

    public async Task<UserSummary?> GetUserSummaryAsync(TenantUser user, CancellationToken cancellationToken = default)
    {
        user.Validate();
        await using var command = _dataSource.CreateCommand("""
            SELECT (SELECT COUNT(*) FROM interactions WHERE user_id = u.id),
                   (SELECT MAX(occurred_at) FROM interactions WHERE user_id = u.id)
            FROM users u WHERE u.tenant_id = $1 AND u.external_id = $2
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = user.Tenant });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = user.UserId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new UserSummary
            {
                Tenant = user.Tenant,
                ExternalId = user.UserId,
                Interactions = checked((int)reader.GetInt64(0)),
                LastSeen = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1),
            }
            : null;
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            // Reads the schema's own table: a server that is down, a database that is gone or not migrated does not answer.
            await using var command = _dataSource.CreateCommand("SELECT MAX(version) FROM schema_migrations");
            return await command.ExecuteScalarAsync(cancellationToken) is int;
        }
        catch (Exception e) when ((e is NpgsqlException or SocketException or TimeoutException or InvalidOperationException or ObjectDisposedException)
                                  && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
