using BenchmarkDotNet.Attributes;
using GraphRouter.Core.Datasets;
using GraphRouter.Serving.Runtime;
using GraphRouter.Storage.History;

namespace GraphRouter.Benchmarks;

/// <summary>
/// The bundled default policy on ONNX Runtime (one intra-op thread): the per-route path (encode the prompt,
/// score the 11 catalog models for one user token) and the per-feedback path (a user's token from their
/// latest 20 or 200 interactions, as the store returns them). Real routerbench prompts and histories.
/// </summary>
[MemoryDiagnoser]
public class PolicyRuntimeBenchmarks
{
    private PolicyRuntime? _runtime;
    private PolicyRuntime? _uncached;
    private string _prompt = "";
    private EncodedQuery? _query;
    private float[] _user = [];
    private IReadOnlyList<HistoryEntry> _history = [];

    [Params(20, 200)]
    public int HistoryLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _runtime = PolicyRuntime.Load(BundledPolicy.Folder);
        _uncached = PolicyRuntime.Load(BundledPolicy.Folder, queryCacheCapacity: 0);
        var data = RouterBenchReader.Load(BundledData.RouterBench);
        var busiest = data.ByUser().OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().ToList();
        _history = busiest.TakeLast(HistoryLength).Reverse().Select(i => new HistoryEntry
        {
            Conversation = i.Conversation,
            Step = i.Step,
            Timestamp = i.Timestamp,
            QueryId = i.QueryId,
            QueryText = data.Query(i.QueryId).Text,
            Responses = i.Ratings.Select(r =>
            {
                var outcome = data.Outcome(i.QueryId, r.Llm);
                return new RatedResponse { Llm = r.Llm, Rating = r.Rating, Text = outcome.Response, CostUsd = outcome.CostUsd };
            }).ToList(),
        }).ToList();
        // a prompt of median length
        _prompt = data.Queries.Select(q => q.Text).OrderBy(t => t.Length).ThenBy(t => t, StringComparer.Ordinal).ElementAt(data.Queries.Count / 2);
        _query = _runtime.EncodeQuery(_prompt);
        _user = _runtime.EmbedUser(_history);
        Console.WriteLine($"// policy {_runtime.Version}: {_runtime.Models.Count} models; prompt {_prompt.Length} chars; history {_history.Count} interactions, {_history.Sum(h => h.Responses.Count)} rated responses");
    }

    /// <summary>A prompt the runtime has not seen: the fitted encoder runs.</summary>
    [Benchmark]
    public EncodedQuery EncodeNewQuery() => _uncached!.EncodeQuery(_prompt);

    [Benchmark]
    public double[] Score11() => _runtime!.Score(_user, _query!, _runtime.Models);

    /// <summary>Four queries' rows in one scorer run: what scoring four routes together would cost.</summary>
    [Benchmark]
    public double[][] Score11FourRows() => _runtime!.Score(_user, [_query!, _query!, _query!, _query!], _runtime.Models);

    /// <summary>One route's model work for a new prompt: encode it, score the 11 models.</summary>
    [Benchmark]
    public double[] RouteNewQuery() => _uncached!.Score(_user, _uncached.EncodeQuery(_prompt), _uncached.Models);

    /// <summary>A user's token when their prompts were encoded before (the cache: the usual case at each new feedback).</summary>
    [Benchmark]
    public float[] EmbedUser() => _runtime!.EmbedUser(_history);

    /// <summary>A user's token encoding every prompt of the history afresh.</summary>
    [Benchmark]
    public float[] EmbedUserEncodingAll() => _uncached!.EmbedUser(_history);

    [GlobalCleanup]
    public void Cleanup()
    {
        _runtime?.Dispose();
        _uncached?.Dispose();
    }
}
