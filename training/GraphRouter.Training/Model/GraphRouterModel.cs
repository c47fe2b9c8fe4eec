using GraphRouter.Training.Graph;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GraphRouter.Training.Model;

/// <summary>
/// GraphRouter's preference model: a query tower (the encoder's vector through a dropout + bottleneck),
/// learned LLM vectors, the heterogeneous graph encoder of users' histories and the scorer.
/// Field names are the checkpoint format.
/// </summary>
public sealed class GraphRouterModel : Module<PreferenceBatch, Tensor>
{
    private readonly Sequential queryTower;
    private readonly Embedding llmVectors;
    private readonly HeteroGraphEncoder encoder;
    private readonly PreferenceScorer scorer;

    private readonly long _llmCount;

    public GraphRouterModel(HgtOptions options, int queryDimension, int llmCount, int responseDimension) : base(nameof(GraphRouterModel))
    {
        Options = options;
        _llmCount = llmCount;
        queryTower = Sequential(
            ("dropout", Dropout(options.InputDropout)),
            ("linear", Linear(queryDimension, options.QueryBottleneck)),
            ("gelu", GELU()));
        llmVectors = Embedding(llmCount, options.LlmDimension);
        encoder = new HeteroGraphEncoder("encoder", options, responseDimension);
        scorer = new PreferenceScorer("scorer", options.Hidden, options.QueryBottleneck, options.LlmDimension, options.ScorerHidden, options.ScorerHeads, options.Dropout);
        RegisterComponents();
    }

    public HgtOptions Options { get; }

    /// <returns>[rows, candidates] scores.</returns>
    public override Tensor forward(PreferenceBatch batch)
    {
        var users = EncodeUsers(batch.Graph);
        return ScoreCandidates(users.index_select(0, batch.RowUsers), batch.RowQueries, batch.Candidates);
    }

    /// <returns>[users, hidden]: each history's user embedding.</returns>
    public Tensor EncodeUsers(GraphTensors graph)
    {
        var llms = llmVectors.call(arange(_llmCount));
        return encoder.call(queryTower.call(graph.QueryFeatures), llms, graph);
    }

    /// <param name="users">[rows, hidden] user embeddings.</param>
    /// <param name="queries">[rows, encoder dimension] raw query vectors.</param>
    /// <param name="candidates">[rows, candidates] LLM indices.</param>
    public Tensor ScoreCandidates(Tensor users, Tensor queries, Tensor candidates) =>
        scorer.call(users, queryTower.call(queries), llmVectors.call(candidates));
}
