using System.Globalization;
using GraphRouter.Storage.Tests.Contract;

namespace GraphRouter.Storage.Tests.Durability;

/// <summary>
/// The test assembly's own entry point, used only as a child process by <see cref="SqliteCrashDurabilityTests"/>:
/// <c>dotnet GraphRouter.Storage.Tests.dll crash-writer PATH SYNCHRONOUS</c> records feedback into the SQLite
/// store at PATH without end, printing <c>ack N</c> once the N-th write has returned, until it is killed.
/// </summary>
public static class CrashWriter
{
    public const string Command = "crash-writer";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 3 || args[0] != Command)
        {
            await Console.Error.WriteLineAsync($"usage: {Command} SQLITE_PATH Normal|Full (this assembly is a test library; the entry point serves the crash test)");
            return 2;
        }
        var options = new GraphStoreOptions { SqliteSynchronous = Enum.Parse<SqliteSynchronous>(args[2]) };
        await using var store = await GraphStoreFactory.OpenAsync(StoreLocation.Sqlite(args[1]), options);
        for (var n = 0; ; n++)
        {
            await store.RecordFeedbackAsync(Feedback(n));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ack {n}"));
            Console.Out.Flush();
        }
    }

    /// <summary>The n-th feedback the writer records: three users, ten shared query texts, a fresh key each time.</summary>
    public static Storage.Feedback.FeedbackRecord Feedback(int n) =>
        Feedbacks.Simple($"crash-{n}", $"crash-user-{n % 3}", $"crash question {n % 10}", occurredAt: Feedbacks.Epoch.AddSeconds(n));
}
