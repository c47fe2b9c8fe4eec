using System.Diagnostics;
using System.Globalization;
using GraphRouter.Core.Datasets;
using GraphRouter.Storage;

namespace GraphRouter.Benchmarks;

/// <summary>
/// Per-write latency percentiles of <see cref="IGraphStore.RecordFeedbackAsync"/> on SQLite, which
/// BenchmarkDotNet's per-iteration means do not show: after a warm-up, each of N sequential writes
/// (as <see cref="FeedbackWriteBenchmarks.NewFeedback"/>) is timed alone, checkpoints included.
/// Run: <c>dotnet run -c Release --project tests/GraphRouter.Benchmarks -- feedback-latency [N]</c>.
/// </summary>
public static class FeedbackLatency
{
    public const string Command = "feedback-latency";

    public static async Task RunAsync(int writes)
    {
        var data = RouterBenchReader.Load(BundledData.RouterBench);
        var samples = new FeedbackSamples(data);
        Console.WriteLine($"{writes} sequential feedback writes per level after 500 warm-up writes, each followed by a replay; store: full routerbench; times in microseconds");
        Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("| what | mean | p50 | p90 | p99 | p99.9 | max | process CPU per write |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        DiskControls(writes);
        Console.WriteLine($"load average after the disk controls: {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var level in new[] { SqliteSynchronous.Normal, SqliteSynchronous.Full })
        {
            var folder = Directory.CreateTempSubdirectory("graphrouter-latency-").FullName;
            try
            {
                await using var store = await GraphStoreFactory.OpenAsync(StoreLocation.Sqlite(Path.Combine(folder, "graph.db")), new GraphStoreOptions { SqliteSynchronous = level });
                await store.MigrateAsync();
                await store.ImportAsync(data);
                var n = 0;
                for (var k = 0; k < 500; k++)
                {
                    await store.RecordFeedbackAsync(samples.Create(n++));
                }
                var micros = new double[writes];
                var replays = new double[writes];
                var replayed = samples.Create(0);
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                for (var k = 0; k < writes; k++)
                {
                    var feedback = samples.Create(n++);
                    var start = Stopwatch.GetTimestamp();
                    await store.RecordFeedbackAsync(feedback);
                    micros[k] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                    // The control: a replay reads the key in a transaction and writes nothing, so its tail is
                    // this machine's scheduling and GC noise, not the disk.
                    start = Stopwatch.GetTimestamp();
                    await store.RecordFeedbackAsync(replayed);
                    replays[k] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                }
                var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / writes;
                Console.WriteLine(Row($"{level}, new feedback", micros) + string.Create(CultureInfo.InvariantCulture, $" {cpu:F0} (write + replay) |"));
                Console.WriteLine(Row($"{level}, replayed key (control)", replays) + " |");
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>
    /// What the disk alone costs here: appending 16 KiB (about what a feedback commit appends to the WAL)
    /// with one write, then the same followed by fdatasync, as NORMAL and FULL commits do.
    /// </summary>
    private static void DiskControls(int writes)
    {
        var folder = Directory.CreateTempSubdirectory("graphrouter-disk-").FullName;
        try
        {
            var block = new byte[16 * 1024];
            foreach (var sync in new[] { false, true })
            {
                using var file = new FileStream(Path.Combine(folder, "append.bin"), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
                var micros = new double[writes];
                for (var k = 0; k < writes; k++)
                {
                    var start = Stopwatch.GetTimestamp();
                    file.Write(block);
                    if (sync)
                    {
                        file.Flush(flushToDisk: true);
                    }
                    micros[k] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                }
                Console.WriteLine(Row(sync ? "disk control: append 16 KiB + fdatasync" : "disk control: append 16 KiB", micros) + " |");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Row(string label, double[] micros)
    {
        Array.Sort(micros);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {micros.Average():F0} | {At(micros, 0.50):F0} | {At(micros, 0.90):F0} | {At(micros, 0.99):F0} | {At(micros, 0.999):F0} | {micros[^1]:F0} |");
    }

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    private static double At(double[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
