using GraphRouter.Storage.ApiKeys;
using Microsoft.Data.Sqlite;

namespace GraphRouter.Storage.Sqlite;

/// <summary>
/// API keys (migrations 0007 and 0008) on the SQLite store; writes run in one <c>BEGIN IMMEDIATE</c> transaction, so
/// checks (the name, the tenant) and inserts never interleave with another writer.
/// </summary>
public sealed partial class SqliteGraphStore
{
    private const string ApiKeyColumns = "id, name, role, secret_hash, created_at, revoked_at, tenant_id";

    public async Task<ApiKeyRecord> CreateApiKeyAsync(ApiKeyRegistration key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.Validate();
        return await InWriteTransactionAsync(transaction => InsertApiKey(key, transaction), cancellationToken);
    }

    public async Task<ApiKeyRecord?> CreateFirstApiKeyAsync(ApiKeyRegistration key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.Validate();
        return await InWriteTransactionAsync(transaction =>
        {
            using var any = Command("SELECT EXISTS (SELECT 1 FROM api_keys)", transaction);
            return Convert.ToInt64(any.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1 ? null : InsertApiKey(key, transaction);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> GetApiKeysAsync(CancellationToken cancellationToken = default) =>
        await GatedAsync(() =>
        {
            using var command = Command($"SELECT {ApiKeyColumns} FROM api_keys ORDER BY created_at, id");
            return ReadApiKeys(command);
        }, cancellationToken);

    public async Task<ApiKeyRecord?> FindApiKeyAsync(string secretHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secretHash);
        return await GatedAsync(() =>
        {
            using var command = Command($"SELECT {ApiKeyColumns} FROM api_keys WHERE secret_hash = $h");
            command.Parameters.AddWithValue("$h", secretHash);
            return ReadApiKeys(command).SingleOrDefault();
        }, cancellationToken);
    }

    public async Task<ApiKeyRecord> RevokeApiKeyAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idOrName);
        return await InWriteTransactionAsync(transaction =>
        {
            // The id first; then the one key not revoked with that name; then the latest revoked one (nothing to do).
            using var find = Command($"""
                SELECT {ApiKeyColumns} FROM api_keys
                WHERE id = $k OR name = $k
                ORDER BY id = $k DESC, revoked_at IS NULL DESC, revoked_at DESC
                LIMIT 1
                """, transaction);
            find.Parameters.AddWithValue("$k", idOrName);
            var key = ReadApiKeys(find).SingleOrDefault() ?? throw new StoreNotFoundException(StoreNotFoundException.ApiKey, [idOrName]);
            if (key.IsRevoked)
            {
                return key;
            }
            using var revoke = Command($"UPDATE api_keys SET revoked_at = $t WHERE id = $id RETURNING {ApiKeyColumns}", transaction);
            revoke.Parameters.AddWithValue("$t", NowMilliseconds());
            revoke.Parameters.AddWithValue("$id", key.Id);
            return ReadApiKeys(revoke).Single();
        }, cancellationToken);
    }

    private ApiKeyRecord InsertApiKey(ApiKeyRegistration key, SqliteTransaction transaction)
    {
        if (!TenantExists(key.Tenant, transaction))
        {
            throw new StoreNotFoundException(StoreNotFoundException.Tenant, [key.Tenant]);
        }
        using (var clash = Command("SELECT EXISTS (SELECT 1 FROM api_keys WHERE name = $n AND revoked_at IS NULL)", transaction))
        {
            clash.Parameters.AddWithValue("$n", key.Name);
            if (Convert.ToInt64(clash.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1)
            {
                throw StoreErrors.ApiKeyNameConflict(key.Name);
            }
        }
        using var insert = Command($"""
            INSERT INTO api_keys (id, name, role, secret_hash, created_at, tenant_id)
            VALUES ($id, $n, $r, $h, $t, $tenant)
            RETURNING {ApiKeyColumns}
            """, transaction);
        insert.Parameters.AddWithValue("$tenant", key.Tenant);
        insert.Parameters.AddWithValue("$id", ApiKeyRegistration.NewId());
        insert.Parameters.AddWithValue("$n", key.Name);
        insert.Parameters.AddWithValue("$r", ApiKeyRoles.Name(key.Role));
        insert.Parameters.AddWithValue("$h", key.SecretHash);
        insert.Parameters.AddWithValue("$t", NowMilliseconds());
        try
        {
            return ReadApiKeys(insert).Single();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19 /* SQLITE_CONSTRAINT */)
        {
            throw new StoreConflictException("an API key with this secret is already stored; nothing was stored");
        }
    }

    private static List<ApiKeyRecord> ReadApiKeys(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var keys = new List<ApiKeyRecord>();
        while (reader.Read())
        {
            keys.Add(new ApiKeyRecord
            {
                Id = reader.GetString(0),
                Name = reader.GetString(1),
                Role = ApiKeyRoles.Parse(reader.GetString(2)),
                SecretHash = reader.GetString(3),
                Created = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                Revoked = OptionalTime(reader, 5),
                Tenant = reader.GetString(6),
            });
        }
        return keys;
    }
}
