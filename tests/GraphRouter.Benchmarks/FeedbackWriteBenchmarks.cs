using BenchmarkDotNet.Attributes;
using GraphRouter.Core.Datasets;
using GraphRouter.Storage;
using GraphRouter.Storage.Feedback;

namespace GraphRouter.Benchmarks;

/// <summary>
/// Recording one feedback into the SQLite store holding the full routerbench (25,622 interactions),
/// through <see cref="IGraphStore.RecordFeedbackAsync"/>, including the durable commit, at each
/// synchronous level. Each write is a new key from a known user with a new query text (so a new Query
/// node and two new responses: the heavier, common case); the replay is the duplicate path.
/// </summary>
[MemoryDiagnoser]
public class FeedbackWriteBenchmarks
{
    private string _folder = "";
    private IGraphStore? _store;
    private FeedbackSamples? _samples;
    private FeedbackRecord? _replayed;
    private int _next;

    [Params(SqliteSynchronous.Normal, SqliteSynchronous.Full)]
    public SqliteSynchronous Synchronous { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var data = RouterBenchReader.Load(BundledData.RouterBench);
        _samples = new FeedbackSamples(data);
        _folder = Directory.CreateTempSubdirectory("graphrouter-bench-").FullName;
        _store = GraphStoreFactory.OpenAsync(StoreLocation.Sqlite(Path.Combine(_folder, "graph.db")), new GraphStoreOptions { SqliteSynchronous = Synchronous })
            .GetAwaiter().GetResult();
        _store.MigrateAsync().GetAwaiter().GetResult();
        _store.ImportAsync(data).GetAwaiter().GetResult();
        _replayed = _samples.Create(int.MaxValue); // a key NewFeedback never reaches
        _store.RecordFeedbackAsync(_replayed).GetAwaiter().GetResult();
    }

    [Benchmark]
    public Task<FeedbackWriteResult> NewFeedback() => _store!.RecordFeedbackAsync(_samples!.Create(_next++));

    [Benchmark]
    public Task<FeedbackWriteResult> ReplayedKey() => _store!.RecordFeedbackAsync(_replayed!);

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
