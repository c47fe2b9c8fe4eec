using GraphRouter.Storage.Changes;
using GraphRouter.Storage.Tenancy;
using Npgsql;
using NpgsqlTypes;

namespace GraphRouter.Storage.Postgres;

/// <summary>Tenants (migration 0008) on the PostgreSQL store; each write and its change row commit in one transaction.</summary>
public sealed partial class PostgresGraphStore
{
    private const string TenantColumns = "id, created_at, default_cost_weight";

    public async Task<TenantRecord> CreateTenantAsync(string tenant, double? defaultCostWeight = null, CancellationToken cancellationToken = default)
    {
        Tenants.Validate(tenant, nameof(tenant));
        Tenants.ValidateCostWeight(tenant, defaultCostWeight);
        return await WithChangeAsync(StoreChangeKind.Tenant, async (connection, transaction) =>
        {
            // The primary key settles concurrent creations: the loser inserts nothing and is told it exists.
            await using var insert = new NpgsqlCommand($"""
                INSERT INTO tenants (id, created_at, default_cost_weight) VALUES ($1, $2, $3)
                ON CONFLICT (id) DO NOTHING
                RETURNING {TenantColumns}
                """, connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = _time.GetUtcNow().ToUniversalTime() });
            insert.Parameters.Add(CostWeight(defaultCostWeight));
            var created = (await ReadTenantsAsync(insert, cancellationToken)).SingleOrDefault() ?? throw StoreErrors.TenantConflict(tenant);
            return (created, (string?)tenant);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<TenantRecord>> GetTenantsAsync(CancellationToken cancellationToken = default)
    {
        // COLLATE "C": byte order, which is ordinal order for these ASCII ids whatever the database's collation.
        await using var command = _dataSource.CreateCommand($"SELECT {TenantColumns} FROM tenants ORDER BY id COLLATE \"C\"");
        return await ReadTenantsAsync(command, cancellationToken);
    }

    public async Task<TenantRecord?> GetTenantAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var command = _dataSource.CreateCommand($"SELECT {TenantColumns} FROM tenants WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        return (await ReadTenantsAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<TenantRecord> SetTenantCostWeightAsync(string tenant, double? defaultCostWeight, CancellationToken cancellationToken = default)
    {
        Tenants.Validate(tenant, nameof(tenant));
        Tenants.ValidateCostWeight(tenant, defaultCostWeight);
        return await WithChangeAsync(StoreChangeKind.Tenant, async (connection, transaction) =>
        {
            await using var update = new NpgsqlCommand($"UPDATE tenants SET default_cost_weight = $2 WHERE id = $1 RETURNING {TenantColumns}", connection, transaction);
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
            update.Parameters.Add(CostWeight(defaultCostWeight));
            var updated = (await ReadTenantsAsync(update, cancellationToken)).SingleOrDefault()
                ?? throw new StoreNotFoundException(StoreNotFoundException.Tenant, [tenant]);
            return (updated, (string?)tenant);
        }, cancellationToken);
    }

    private static NpgsqlParameter CostWeight(double? weight) =>
        new() { Value = (object?)weight ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double };

    private static async Task<List<TenantRecord>> ReadTenantsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tenants = new List<TenantRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tenants.Add(new TenantRecord
            {
                Id = reader.GetString(0),
                Created = reader.GetFieldValue<DateTimeOffset>(1),
                DefaultCostWeight = reader.IsDBNull(2) ? null : reader.GetDouble(2),
            });
        }
        return tenants;
    }
}
