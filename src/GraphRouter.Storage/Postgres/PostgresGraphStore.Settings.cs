using GraphRouter.Storage.Changes;
using Npgsql;
using NpgsqlTypes;

namespace GraphRouter.Storage.Postgres;

/// <summary>Deployment settings (the <c>settings</c> table) on the PostgreSQL store.</summary>
public sealed partial class PostgresGraphStore
{
    public async Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
    {
        StoreSettings.ValidateKey(key);
        await using var command = _dataSource.CreateCommand("SELECT value_json::text FROM settings WHERE key = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task SetSettingAsync(string key, string valueJson, CancellationToken cancellationToken = default)
    {
        StoreSettings.ValidateKey(key);
        StoreSettings.ValidateJson(key, valueJson);
        await WithChangeAsync(StoreChangeKind.Setting, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO settings (key, value_json, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at",
                connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = valueJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = _time.GetUtcNow().ToUniversalTime() });
            await command.ExecuteNonQueryAsync(cancellationToken);
            return (true, key);
        }, cancellationToken);
    }
}
