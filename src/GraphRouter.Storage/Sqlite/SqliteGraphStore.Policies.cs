using GraphRouter.Storage.Changes;
using GraphRouter.Storage.Policies;
using Microsoft.Data.Sqlite;

namespace GraphRouter.Storage.Sqlite;

/// <summary>Policy versions, the active one and the activation log (migration 0003) on the SQLite store.</summary>
public sealed partial class SqliteGraphStore
{
    private const string PolicyColumns = "version, created_at, path, manifest_json, metrics_json, active, activated_at";

    public async Task<PolicyRecord> RegisterPolicyAsync(PolicyRegistration policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        return await InWriteTransactionAsync(transaction =>
        {
            var stored = FindPolicy(policy.Version, transaction);
            if (stored is null)
            {
                using var insert = Command("""
                    INSERT INTO policies (version, created_at, path, manifest_json, metrics_json, active)
                    VALUES ($v, $c, $p, $m, $x, 0)
                    """, transaction);
                insert.Parameters.AddWithValue("$v", policy.Version);
                insert.Parameters.AddWithValue("$c", policy.Created.ToUnixTimeMilliseconds());
                insert.Parameters.AddWithValue("$p", policy.Path);
                insert.Parameters.AddWithValue("$m", policy.ManifestJson);
                insert.Parameters.AddWithValue("$x", (object?)policy.MetricsJson ?? DBNull.Value);
                insert.ExecuteNonQuery();
            }
            else if (!PolicyRegistration.SameJson(stored.ManifestJson, policy.ManifestJson))
            {
                throw StoreErrors.PolicyManifestConflict(policy.Version);
            }
            else if (stored.Path != policy.Path || !PolicyRegistration.SameJson(stored.MetricsJson, policy.MetricsJson))
            {
                using var update = Command("UPDATE policies SET path = $p, metrics_json = $x WHERE version = $v", transaction);
                update.Parameters.AddWithValue("$v", policy.Version);
                update.Parameters.AddWithValue("$p", policy.Path);
                update.Parameters.AddWithValue("$x", (object?)policy.MetricsJson ?? DBNull.Value);
                update.ExecuteNonQuery();
            }
            else
            {
                return stored;
            }
            return FindPolicy(policy.Version, transaction)!;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<PolicyRecord>> GetPoliciesAsync(CancellationToken cancellationToken = default) =>
        await GatedAsync(() => ReadPolicies($"SELECT {PolicyColumns} FROM policies ORDER BY created_at DESC, version DESC", null), cancellationToken);

    public async Task<PolicyRecord?> GetActivePolicyAsync(CancellationToken cancellationToken = default) =>
        await GatedAsync(() => ReadPolicies($"SELECT {PolicyColumns} FROM policies WHERE active = 1", null).SingleOrDefault(), cancellationToken);

    public async Task<PolicyRecord> ActivatePolicyAsync(string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return await InWriteTransactionAsync(transaction =>
        {
            var policy = FindPolicy(version, transaction) ?? throw new StoreNotFoundException(StoreNotFoundException.PolicyVersion, [version]);
            if (policy.Active)
            {
                return policy;
            }
            var now = NowMilliseconds();
            MakeActive(version, now, transaction);
            using var log = Command("INSERT INTO policy_activations (version, activated_at) VALUES ($v, $t)", transaction);
            log.Parameters.AddWithValue("$v", version);
            log.Parameters.AddWithValue("$t", now);
            log.ExecuteNonQuery();
            WriteChange(transaction, StoreChangeKind.Policy, version);
            return FindPolicy(version, transaction)!;
        }, cancellationToken);
    }

    public async Task<PolicyRecord> RollbackPolicyAsync(CancellationToken cancellationToken = default) =>
        await InWriteTransactionAsync(transaction =>
        {
            // The live activation stack, top two: the current activation and the one it replaced.
            var stack = new List<(long Id, string Version)>(2);
            using (var top = Command("SELECT id, version FROM policy_activations WHERE rolled_back_at IS NULL ORDER BY id DESC LIMIT 2", transaction))
            using (var reader = top.ExecuteReader())
            {
                while (reader.Read())
                {
                    stack.Add((reader.GetInt64(0), reader.GetString(1)));
                }
            }
            if (stack.Count < 2)
            {
                throw StoreErrors.NothingToRollBack(ReadPolicies($"SELECT {PolicyColumns} FROM policies WHERE active = 1", transaction).SingleOrDefault()?.Version);
            }
            var now = NowMilliseconds();
            using (var pop = Command("UPDATE policy_activations SET rolled_back_at = $t WHERE id = $id", transaction))
            {
                pop.Parameters.AddWithValue("$t", now);
                pop.Parameters.AddWithValue("$id", stack[0].Id);
                pop.ExecuteNonQuery();
            }
            MakeActive(stack[1].Version, now, transaction);
            WriteChange(transaction, StoreChangeKind.Policy, stack[1].Version);
            return FindPolicy(stack[1].Version, transaction)!;
        }, cancellationToken);

    /// <summary>Deactivates the active policy and activates <paramref name="version"/>, inside one transaction (the partial unique index allows one active row).</summary>
    private void MakeActive(string version, long now, SqliteTransaction transaction)
    {
        using var deactivate = Command("UPDATE policies SET active = 0 WHERE active = 1", transaction);
        deactivate.ExecuteNonQuery();
        using var activate = Command("UPDATE policies SET active = 1, activated_at = $t WHERE version = $v", transaction);
        activate.Parameters.AddWithValue("$t", now);
        activate.Parameters.AddWithValue("$v", version);
        activate.ExecuteNonQuery();
    }

    private PolicyRecord? FindPolicy(string version, SqliteTransaction transaction)
    {
        using var command = Command($"SELECT {PolicyColumns} FROM policies WHERE version = $v", transaction);
        command.Parameters.AddWithValue("$v", version);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadPolicy(reader) : null;
    }

    private List<PolicyRecord> ReadPolicies(string sql, SqliteTransaction? transaction)
    {
        using var command = Command(sql, transaction);
        using var reader = command.ExecuteReader();
        var policies = new List<PolicyRecord>();
        while (reader.Read())
        {
            policies.Add(ReadPolicy(reader));
        }
        return policies;
    }

    private static PolicyRecord ReadPolicy(SqliteDataReader reader) => new()
    {
        Version = reader.GetString(0),
        Created = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
        Path = reader.GetString(2),
        ManifestJson = reader.GetString(3),
        MetricsJson = OptionalString(reader, 4),
        Active = reader.GetInt64(5) != 0,
        ActivatedAt = OptionalTime(reader, 6),
    };
}
