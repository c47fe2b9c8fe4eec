using BenchmarkDotNet.Attributes;
using GraphRouter.Core.Datasets;
using GraphRouter.Storage;
using GraphRouter.Storage.History;
using GraphRouter.Storage.Tenancy;

namespace GraphRouter.Benchmarks;

/// <summary>
/// Reading one user's full history from SQLite: the user with the most interactions of routerbench,
/// newest first, with queries, LLMs, responses and ratings (one joined query, prepared once).
/// </summary>
[MemoryDiagnoser]
public class UserHistoryBenchmarks
{
    private string _folder = "";
    private IGraphStore? _store;
    private string _user = "";

    [Params(20, 1000)]
    public int Limit { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var data = RouterBenchReader.Load(BundledData.RouterBench);
        _user = data.ByUser().OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        _folder = Directory.CreateTempSubdirectory("graphrouter-bench-").FullName;
        _store = GraphStoreFactory.OpenAsync(StoreLocation.Sqlite(Path.Combine(_folder, "graph.db"))).GetAwaiter().GetResult();
        _store.MigrateAsync().GetAwaiter().GetResult();
        _store.ImportAsync(data).GetAwaiter().GetResult();
        var history = _store.GetUserHistoryAsync(TenantUser.InDefaultTenant(_user), Limit).GetAwaiter().GetResult();
        Console.WriteLine($"// user {_user}: {history.Count} interactions, {history.Sum(h => h.Responses.Count)} rated responses (limit {Limit})");
    }

    [Benchmark]
    public Task<IReadOnlyList<HistoryEntry>> BusiestUserHistory() => _store!.GetUserHistoryAsync(TenantUser.InDefaultTenant(_user), Limit);

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
