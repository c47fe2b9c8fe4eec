using System.Data;
using GraphRouter.Storage.Changes;
using GraphRouter.Storage.Policies;
using Npgsql;
using NpgsqlTypes;

namespace GraphRouter.Storage.Postgres;

/// <summary>Policy versions, the active one and the activation log (migration 0003) on the PostgreSQL store.</summary>
public sealed partial class PostgresGraphStore
{
    // Serializes policy registration, activation and rollback across instances (pg_advisory_xact_lock key).
    private const long PolicyLockKey = 0x4752_5270_506f_6c;

    private const string PolicyColumns = "version, created_at, path, manifest_json::text, metrics_json::text, active, activated_at";

    public async Task<PolicyRecord> RegisterPolicyAsync(PolicyRegistration policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        return await InPolicyTransactionAsync(async (connection, transaction) =>
        {
            var stored = await FindPolicyAsync(connection, transaction, policy.Version, cancellationToken);
            NpgsqlCommand write;
            if (stored is null)
            {
                write = new NpgsqlCommand("INSERT INTO policies (version, created_at, path, manifest_json, metrics_json, active) VALUES ($1, $2, $3, $4, $5, false)", connection, transaction);
                write.Parameters.Add(new NpgsqlParameter<string> { TypedValue = policy.Version });
                write.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = policy.Created.ToUniversalTime() });
                write.Parameters.Add(new NpgsqlParameter<string> { TypedValue = policy.Path });
                write.Parameters.Add(new NpgsqlParameter<string> { TypedValue = policy.ManifestJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
                write.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = policy.MetricsJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
            }
            else if (!PolicyRegistration.SameJson(stored.ManifestJson, policy.ManifestJson))
            {
                throw StoreErrors.PolicyManifestConflict(policy.Version);
            }
            else if (stored.Path != policy.Path || !PolicyRegistration.SameJson(stored.MetricsJson, policy.MetricsJson))
            {
                // The same artifact, moved or re-evaluated.
                write = new NpgsqlCommand("UPDATE policies SET path = $2, metrics_json = $3 WHERE version = $1", connection, transaction);
                write.Parameters.Add(new NpgsqlParameter<string> { TypedValue = policy.Version });
                write.Parameters.Add(new NpgsqlParameter<string> { TypedValue = policy.Path });
                write.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = policy.MetricsJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
            }
            else
            {
                return stored;
            }
            await using (write)
            {
                await write.ExecuteNonQueryAsync(cancellationToken);
            }
            return (await FindPolicyAsync(connection, transaction, policy.Version, cancellationToken))!;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<PolicyRecord>> GetPoliciesAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {PolicyColumns} FROM policies ORDER BY created_at DESC, version COLLATE \"C\" DESC");
        return await ReadPoliciesAsync(command, cancellationToken);
    }

    public async Task<PolicyRecord?> GetActivePolicyAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {PolicyColumns} FROM policies WHERE active");
        return (await ReadPoliciesAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<PolicyRecord> ActivatePolicyAsync(string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return await InPolicyTransactionAsync(async (connection, transaction) =>
        {
            var policy = await FindPolicyAsync(connection, transaction, version, cancellationToken)
                ?? throw new StoreNotFoundException(StoreNotFoundException.PolicyVersion, [version]);
            if (policy.Active)
            {
                return policy;
            }
            var now = _time.GetUtcNow();
            await MakeActiveAsync(connection, transaction, version, now, cancellationToken);
            await using (var log = new NpgsqlCommand("INSERT INTO policy_activations (version, activated_at) VALUES ($1, $2)", connection, transaction))
            {
                log.Parameters.Add(new NpgsqlParameter<string> { TypedValue = version });
                log.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
                await log.ExecuteNonQueryAsync(cancellationToken);
            }
            await WriteChangeAsync(connection, transaction, StoreChangeKind.Policy, version, cancellationToken);
            return (await FindPolicyAsync(connection, transaction, version, cancellationToken))!;
        }, cancellationToken);
    }

    public async Task<PolicyRecord> RollbackPolicyAsync(CancellationToken cancellationToken = default) =>
        await InPolicyTransactionAsync(async (connection, transaction) =>
        {
            // The live activation stack, top two: the current activation and the one it replaced.
            var stack = new List<(long Id, string Version)>(2);
            await using (var top = new NpgsqlCommand("SELECT id, version FROM policy_activations WHERE rolled_back_at IS NULL ORDER BY id DESC LIMIT 2", connection, transaction))
            await using (var reader = await top.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    stack.Add((reader.GetInt64(0), reader.GetString(1)));
                }
            }
            if (stack.Count < 2)
            {
                await using var active = new NpgsqlCommand("SELECT version FROM policies WHERE active", connection, transaction);
                throw StoreErrors.NothingToRollBack(await active.ExecuteScalarAsync(cancellationToken) as string);
            }
            var now = _time.GetUtcNow();
            await using (var pop = new NpgsqlCommand("UPDATE policy_activations SET rolled_back_at = $1 WHERE id = $2", connection, transaction))
            {
                pop.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
                pop.Parameters.Add(new NpgsqlParameter<long> { TypedValue = stack[0].Id });
                await pop.ExecuteNonQueryAsync(cancellationToken);
            }
            await MakeActiveAsync(connection, transaction, stack[1].Version, now, cancellationToken);
            await WriteChangeAsync(connection, transaction, StoreChangeKind.Policy, stack[1].Version, cancellationToken);
            return (await FindPolicyAsync(connection, transaction, stack[1].Version, cancellationToken))!;
        }, cancellationToken);

    /// <summary>
    /// Runs a policy write in one transaction holding the policy advisory lock, so that concurrent
    /// activations from several instances take turns instead of racing on the one-active index.
    /// </summary>
    private async Task<T> InPolicyTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PolicyLockKey });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Deactivates the active policy and activates <paramref name="version"/> in the caller's transaction: readers see the old one or the new one, never two or none.</summary>
    private static async Task MakeActiveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("UPDATE policies SET active = false WHERE active"));
        var activate = new NpgsqlBatchCommand("UPDATE policies SET active = true, activated_at = $1 WHERE version = $2");
        activate.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
        activate.Parameters.Add(new NpgsqlParameter<string> { TypedValue = version });
        batch.BatchCommands.Add(activate);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<PolicyRecord?> FindPolicyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string version, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {PolicyColumns} FROM policies WHERE version = $1", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = version });
        return (await ReadPoliciesAsync(command, cancellationToken)).SingleOrDefault();
    }

    private static async Task<List<PolicyRecord>> ReadPoliciesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var policies = new List<PolicyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            policies.Add(new PolicyRecord
            {
                Version = reader.GetString(0),
                Created = reader.GetFieldValue<DateTimeOffset>(1),
                Path = reader.GetString(2),
                ManifestJson = reader.GetString(3),
                MetricsJson = reader.IsDBNull(4) ? null : reader.GetString(4),
                Active = reader.GetBoolean(5),
                ActivatedAt = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
            });
        }
        return policies;
    }
}
