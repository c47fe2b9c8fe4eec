using GraphRouter.Storage.Changes;

namespace GraphRouter.Storage.Sqlite;

/// <summary>Deployment settings (the <c>settings</c> table) on the SQLite store.</summary>
public sealed partial class SqliteGraphStore
{
    public async Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
    {
        StoreSettings.ValidateKey(key);
        return await GatedAsync(() =>
        {
            using var command = Command("SELECT value_json FROM settings WHERE key = $k");
            command.Parameters.AddWithValue("$k", key);
            return command.ExecuteScalar() as string;
        }, cancellationToken);
    }

    public async Task SetSettingAsync(string key, string valueJson, CancellationToken cancellationToken = default)
    {
        StoreSettings.ValidateKey(key);
        StoreSettings.ValidateJson(key, valueJson);
        await InWriteTransactionAsync(transaction =>
        {
            using var command = Command(
                "INSERT INTO settings (key, value_json, updated_at) VALUES ($k, $v, $t) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at",
                transaction);
            command.Parameters.AddWithValue("$k", key);
            command.Parameters.AddWithValue("$v", valueJson);
            command.Parameters.AddWithValue("$t", NowMilliseconds());
            command.ExecuteNonQuery();
            WriteChange(transaction, StoreChangeKind.Setting, key);
            return true;
        }, cancellationToken);
    }
}
