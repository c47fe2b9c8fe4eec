using Microsoft.Data.Sqlite;

namespace GraphRouter.Storage.Tests.Contract;

public sealed class SqliteGraphStoreTests(SqliteStoreFixture fixture) : GraphStoreContract(fixture), IClassFixture<SqliteStoreFixture>
{
    [Fact]
    public async Task The_file_is_in_wal_mode_with_foreign_keys_enforced()
    {
        var store = await fixture.CreateEmptyStoreAsync();

        var mode = await ReadAsync(store, "PRAGMA journal_mode");

        Assert.Equal(["wal"], mode);
        await using var connection = new SqliteConnection($"Data Source={store.Location.Target};Foreign Keys=True");
        await connection.OpenAsync();
        await using var orphan = new SqliteCommand("INSERT INTO turns (interaction_id, llm_id, response_id, rating) VALUES (999, 999, 999, 5)", connection);
        var error = await Assert.ThrowsAsync<SqliteException>(() => orphan.ExecuteNonQueryAsync());
        Assert.Contains("FOREIGN KEY", error.Message, StringComparison.Ordinal);
    }
}
