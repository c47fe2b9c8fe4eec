using System.Data;
using GraphRouter.Storage.ApiKeys;
using Npgsql;

namespace GraphRouter.Storage.Postgres;

/// <summary>
/// API keys (migrations 0007 and 0008) on the PostgreSQL store. A key's tenant must exist (its foreign key refuses
/// any other, and the insert writes nothing). The partial unique index on the names of keys not revoked
/// settles concurrent creations with one name; the first key of a store is created under a table lock, so of
/// several instances starting on one fresh store exactly one creates it.
/// </summary>
public sealed partial class PostgresGraphStore
{
    private const string ApiKeyColumns = "id, name, role, secret_hash, created_at, revoked_at, tenant_id";

    public async Task<ApiKeyRecord> CreateApiKeyAsync(ApiKeyRegistration key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.Validate();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await InsertApiKeyAsync(connection, null, key, cancellationToken);
    }

    public async Task<ApiKeyRecord?> CreateFirstApiKeyAsync(ApiKeyRegistration key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.Validate();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        // SHARE ROW EXCLUSIVE conflicts with itself and with inserts: a second starter waits here, then sees the first's key.
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE api_keys IN SHARE ROW EXCLUSIVE MODE", connection, transaction))
        {
            await lockTable.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var any = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM api_keys)", connection, transaction))
        {
            if ((bool)(await any.ExecuteScalarAsync(cancellationToken))!)
            {
                return null;
            }
        }
        var created = await InsertApiKeyAsync(connection, transaction, key, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> GetApiKeysAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {ApiKeyColumns} FROM api_keys ORDER BY created_at, id");
        return await ReadApiKeysAsync(command, cancellationToken);
    }

    public async Task<ApiKeyRecord?> FindApiKeyAsync(string secretHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secretHash);
        await using var command = _dataSource.CreateCommand($"SELECT {ApiKeyColumns} FROM api_keys WHERE secret_hash = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = secretHash });
        return (await ReadApiKeysAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<ApiKeyRecord> RevokeApiKeyAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idOrName);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        // The id first; then the one key not revoked with that name; then the latest revoked one (nothing to do).
        await using var find = new NpgsqlCommand($"""
            SELECT {ApiKeyColumns} FROM api_keys
            WHERE id = $1 OR name = $1
            ORDER BY id = $1 DESC, revoked_at IS NULL DESC, revoked_at DESC
            LIMIT 1
            FOR UPDATE
            """, connection, transaction);
        find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = idOrName });
        var key = (await ReadApiKeysAsync(find, cancellationToken)).SingleOrDefault()
            ?? throw new StoreNotFoundException(StoreNotFoundException.ApiKey, [idOrName]);
        if (key.IsRevoked)
        {
            return key;
        }
        await using var revoke = new NpgsqlCommand($"UPDATE api_keys SET revoked_at = $2 WHERE id = $1 RETURNING {ApiKeyColumns}", connection, transaction);
        revoke.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Id });
        revoke.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = _time.GetUtcNow().ToUniversalTime() });
        var revoked = (await ReadApiKeysAsync(revoke, cancellationToken)).Single();
        await transaction.CommitAsync(cancellationToken);
        return revoked;
    }

    private async Task<ApiKeyRecord> InsertApiKeyAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, ApiKeyRegistration key, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO api_keys (id, name, role, secret_hash, created_at, tenant_id)
            VALUES ($1, $2, $3, $4, $5, $6)
            RETURNING {ApiKeyColumns}
            """, connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ApiKeyRegistration.NewId() });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Name });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ApiKeyRoles.Name(key.Role) });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.SecretHash });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = _time.GetUtcNow().ToUniversalTime() });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Tenant });
        try
        {
            return (await ReadApiKeysAsync(insert, cancellationToken)).Single();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            // The only reference of api_keys: the tenant (migration 0008). The failed insert wrote nothing.
            throw new StoreNotFoundException(StoreNotFoundException.Tenant, [key.Tenant]);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw e.ConstraintName == "api_keys_active_name"
                ? StoreErrors.ApiKeyNameConflict(key.Name)
                : new StoreConflictException("an API key with this secret is already stored; nothing was stored", e);
        }
    }

    private static async Task<List<ApiKeyRecord>> ReadApiKeysAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ApiKeyRecord
            {
                Id = reader.GetString(0),
                Name = reader.GetString(1),
                Role = ApiKeyRoles.Parse(reader.GetString(2)),
                SecretHash = reader.GetString(3),
                Created = reader.GetFieldValue<DateTimeOffset>(4),
                Revoked = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                Tenant = reader.GetString(6),
            });
        }
        return keys;
    }
}
