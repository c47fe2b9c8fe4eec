using GraphRouter.Storage.Changes;
using GraphRouter.Storage.Tenancy;
using Microsoft.Data.Sqlite;

namespace GraphRouter.Storage.Sqlite;

/// <summary>Tenants (migration 0008) on the SQLite store; each write and its change row commit in one <c>BEGIN IMMEDIATE</c> transaction.</summary>
public sealed partial class SqliteGraphStore
{
    private const string TenantColumns = "id, created_at, default_cost_weight";

    public async Task<TenantRecord> CreateTenantAsync(string tenant, double? defaultCostWeight = null, CancellationToken cancellationToken = default)
    {
        Tenants.Validate(tenant, nameof(tenant));
        Tenants.ValidateCostWeight(tenant, defaultCostWeight);
        return await InWriteTransactionAsync(transaction =>
        {
            // An existing id inserts nothing and returns no row: the tenant exists.
            using var insert = Command($"""
                INSERT INTO tenants (id, created_at, default_cost_weight) VALUES ($id, $t, $w)
                ON CONFLICT (id) DO NOTHING
                RETURNING {TenantColumns}
                """, transaction);
            insert.Parameters.AddWithValue("$id", tenant);
            insert.Parameters.AddWithValue("$t", NowMilliseconds());
            insert.Parameters.AddWithValue("$w", (object?)defaultCostWeight ?? DBNull.Value);
            var created = ReadTenants(insert).SingleOrDefault() ?? throw StoreErrors.TenantConflict(tenant);
            WriteChange(transaction, StoreChangeKind.Tenant, tenant);
            return created;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<TenantRecord>> GetTenantsAsync(CancellationToken cancellationToken = default) =>
        await GatedAsync(() =>
        {
            // Ordinal order in C#: SQLite's BINARY collation compares the same bytes (the ids are ASCII).
            using var command = Command($"SELECT {TenantColumns} FROM tenants ORDER BY id");
            return ReadTenants(command);
        }, cancellationToken);

    public async Task<TenantRecord?> GetTenantAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return await GatedAsync(() =>
        {
            using var command = Command($"SELECT {TenantColumns} FROM tenants WHERE id = $id");
            command.Parameters.AddWithValue("$id", tenant);
            return ReadTenants(command).SingleOrDefault();
        }, cancellationToken);
    }

    public async Task<TenantRecord> SetTenantCostWeightAsync(string tenant, double? defaultCostWeight, CancellationToken cancellationToken = default)
    {
        Tenants.Validate(tenant, nameof(tenant));
        Tenants.ValidateCostWeight(tenant, defaultCostWeight);
        return await InWriteTransactionAsync(transaction =>
        {
            using var update = Command($"UPDATE tenants SET default_cost_weight = $w WHERE id = $id RETURNING {TenantColumns}", transaction);
            update.Parameters.AddWithValue("$id", tenant);
            update.Parameters.AddWithValue("$w", (object?)defaultCostWeight ?? DBNull.Value);
            var updated = ReadTenants(update).SingleOrDefault() ?? throw new StoreNotFoundException(StoreNotFoundException.Tenant, [tenant]);
            WriteChange(transaction, StoreChangeKind.Tenant, tenant);
            return updated;
        }, cancellationToken);
    }

    /// <summary>Whether the tenant exists, read in <paramref name="transaction"/> (the caller holds the gate).</summary>
    private bool TenantExists(string tenant, SqliteTransaction transaction)
    {
        using var exists = Command("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $id)", transaction);
        exists.Parameters.AddWithValue("$id", tenant);
        return Convert.ToInt64(exists.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    private static List<TenantRecord> ReadTenants(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var tenants = new List<TenantRecord>();
        while (reader.Read())
        {
            tenants.Add(new TenantRecord
            {
                Id = reader.GetString(0),
                Created = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                DefaultCostWeight = OptionalDouble(reader, 2),
            });
        }
        return tenants;
    }
}
