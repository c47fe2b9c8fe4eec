using System.Diagnostics;
using System.Globalization;
using GraphRouter.Storage.Tenancy;
using GraphRouter.Storage.Tests.Contract;

namespace GraphRouter.Storage.Tests.Durability;

/// <summary>
/// An acknowledged feedback survives the writing process being killed (SIGKILL) mid-stream: a child
/// process writes feedback and acknowledges each one on stdout; it is killed while writing; every
/// acknowledged key is then in the store, and no feedback is half there.
/// </summary>
public sealed class SqliteCrashDurabilityTests(SqliteStoreFixture fixture) : IClassFixture<SqliteStoreFixture>
{
    private const int AcksBeforeKill = 60;

    [Theory]
    [InlineData(SqliteSynchronous.Full)]
    [InlineData(SqliteSynchronous.Normal)]
    public async Task Acknowledged_feedback_survives_a_killed_writer(SqliteSynchronous synchronous)
    {
        var store = await fixture.CreateEmptyStoreAsync();
        var seed = Datasets.MultiTurn("u0001", 1);
        await store.ImportAsync(seed);

        var acknowledged = await RunAndKillWriterAsync(store.Location.Target, synchronous);

        await using var reopened = await GraphStoreFactory.OpenAsync(store.Location);
        var keys = (await fixture.ReadAsync(reopened, "SELECT idempotency_key FROM feedback_keys")).ToHashSet(StringComparer.Ordinal);
        Assert.True(acknowledged >= AcksBeforeKill);
        Assert.All(Enumerable.Range(0, acknowledged), n => Assert.Contains($"crash-{n}", keys));
        // At most the write in flight when the kill came may be there unacknowledged; none is half there.
        Assert.InRange(keys.Count, acknowledged, acknowledged + 1);
        Assert.Equal([(keys.Count + 1).ToString(CultureInfo.InvariantCulture)], await fixture.ReadAsync(reopened, "SELECT COUNT(*) FROM interactions"));
        Assert.Equal([(2 * keys.Count + seed.RatedResponseCount).ToString(CultureInfo.InvariantCulture)], await fixture.ReadAsync(reopened, "SELECT COUNT(*) FROM turns"));
        var history = await reopened.GetUserHistoryAsync(TenantUser.InDefaultTenant("crash-user-0"), 1000);
        Assert.Equal(Enumerable.Range(0, keys.Count).Where(n => n % 3 == 0).Reverse().Select(n => $"crash question {n % 10}"), history.Select(h => h.QueryText));
        Assert.All(history, h => Assert.Equal(2, h.Responses.Count));
    }

    /// <summary>Starts the writer, reads acknowledgements until <see cref="AcksBeforeKill"/>, kills it with SIGKILL while it writes, and returns how many it acknowledged.</summary>
    private static async Task<int> RunAndKillWriterAsync(string path, SqliteSynchronous synchronous)
    {
        var start = new ProcessStartInfo
        {
            FileName = DotnetHost(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { typeof(CrashWriter).Assembly.Location, CrashWriter.Command, path, synchronous.ToString() })
        {
            start.ArgumentList.Add(argument);
        }
        using var writer = Process.Start(start) ?? throw new InvalidOperationException("cannot start the crash writer");
        var errors = writer.StandardError.ReadToEndAsync();
        var acknowledged = 0;
        // A guard against a writer that never starts, not a timing assertion.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            while (acknowledged < AcksBeforeKill)
            {
                var line = await writer.StandardOutput.ReadLineAsync(guard.Token)
                    ?? throw new InvalidOperationException($"the crash writer exited with {writer.ExitCode} before acknowledging {AcksBeforeKill} writes: {await errors}");
                Assert.Equal($"ack {acknowledged}", line);
                acknowledged++;
            }
        }
        finally
        {
            writer.Kill(); // SIGKILL on Unix: no finaliser, no flush, no rollback runs in the child
        }
        // Acknowledgements already printed before the kill landed count too.
        while (await writer.StandardOutput.ReadLineAsync(guard.Token) is { } line)
        {
            Assert.Equal($"ack {acknowledged}", line);
            acknowledged++;
        }
        await writer.WaitForExitAsync(guard.Token);
        Assert.Equal(137, writer.ExitCode);
        return acknowledged;
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } process && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process
        : "dotnet";
}
