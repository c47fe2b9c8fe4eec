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

    [Fact]
    public async Task The_wal_is_checkpointed_into_the_database_while_the_store_is_open()
    {
        var store = await fixture.CreateEmptyStoreAsync();
        await store.ImportAsync(Datasets.MultiTurn("u0001", 1));
        var database = new FileInfo(store.Location.Target);
        // The import asked for a checkpoint at once; wait for it to land, so the size below is settled.
        await EventuallyAsync(() => Task.FromResult(Length(database) > 4096 * 4));
        await Task.Delay(1500);
        var settled = Length(database);

        for (var k = 0; k < 150; k++)
        {
            await store.RecordFeedbackAsync(Feedbacks.Simple($"ckpt-{k}", $"ckpt-user-{k % 7}", $"checkpointed question {k} with some words to fill pages"));
        }

        // Nothing but a checkpoint writes the main file in WAL mode: it grows once the background
        // checkpointer has copied the new pages there (SQLite's own automatic checkpoint is off).
        await EventuallyAsync(() => Task.FromResult(Length(database) > settled));
        Assert.Equal(["150"], await ReadAsync(store, "SELECT COUNT(*) FROM feedback_keys"));
    }

    private static long Length(FileInfo file)
    {
        file.Refresh();
        return file.Length;
    }

    /// <summary>Polls a condition that background work makes true; the 60 s limit guards against a hang and is no timing assertion.</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var waited = 0; !await condition(); waited += 50)
        {
            Assert.True(waited < 60_000, "the condition did not become true within 60 s");
            await Task.Delay(50);
        }
    }
}
