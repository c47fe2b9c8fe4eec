using GraphRouter.Training.Graph;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GraphRouter.Training.Model;

/// <summary>
/// GraphRouter's preference model: a query tower (the encoder's vector through a dropout + bottleneck),
/// learned LLM vectors, the heterogeneous graph encoder of users' histories and the scorer.
/// <para>
/// Additions to the spec (DESIGN.md's scorer is the MLP path alone), because the MLP alone learned
/// per-prompt patterns and ignored the user:
/// (1) the user token the scorer sees is the graph encoder's User state plus a linear map of the history's
/// count-aware pooled Response rows (<see cref="GraphTensors.UserStatistics"/>), so the Bradley-Terry
/// sufficient statistic reaches the scorer undiluted by attention, dropout or LayerNorm;
/// (2) score = MLP scorer + (W_u user) · (W_l [llm vector ; φ(llm, q)]) (a direct low-rank personalized
/// Bradley-Terry term) + b_llm(q) + w · φ(llm, q) (the population's query-conditioned preference).
/// </para>
/// Field names are the checkpoint format.
/// </summary>
public sealed class GraphRouterModel : Module<PreferenceBatch, Tensor>
{
    private readonly Sequential queryTower;
    private readonly Embedding llmVectors;
    private readonly HeteroGraphEncoder encoder;
    private readonly PreferenceScorer scorer;
    private readonly Linear userStatistics;
    private readonly Linear userFactor;
    private readonly Linear llmFactor;
    private readonly Linear llmBias;
    private readonly Linear candidateBias;

    private readonly long _llmCount;

    public GraphRouterModel(HgtOptions options, int queryDimension, int llmCount, int responseDimension, int candidateDimension) : base(nameof(GraphRouterModel))
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
        userStatistics = Linear(responseDimension, options.Hidden, hasBias: false);
        userFactor = Linear(options.Hidden, options.BilinearRank, hasBias: false);
        llmFactor = Linear(options.LlmDimension + candidateDimension, options.BilinearRank);
        llmBias = Linear(options.QueryBottleneck, llmCount);
        candidateBias = Linear(candidateDimension, 1, hasBias: false);
        RegisterComponents();
    }

    public HgtOptions Options { get; }

    /// <returns>[rows, candidates] scores.</returns>
    public override Tensor forward(PreferenceBatch batch)
    {
        var users = EncodeUsers(batch.Graph);
        return ScoreCandidates(users.index_select(0, batch.RowUsers), batch.RowQueries, batch.Candidates, batch.CandidateFeatures);
    }

    /// <returns>[users, hidden]: each history's user token (graph encoder state + projected pooled statistic).</returns>
    public Tensor EncodeUsers(GraphTensors graph)
    {
        var llms = llmVectors.call(arange(_llmCount));
        return encoder.call(queryTower.call(graph.QueryFeatures), llms, graph) + userStatistics.call(graph.UserStatistics);
    }

    /// <param name="users">[rows, hidden] user tokens.</param>
    /// <param name="queries">[rows, encoder dimension] raw query vectors.</param>
    /// <param name="candidates">[rows, candidates] LLM indices.</param>
    /// <param name="candidateFeatures">[rows, candidates, φ dimension].</param>
    public Tensor ScoreCandidates(Tensor users, Tensor queries, Tensor candidates, Tensor candidateFeatures)
    {
        var query = queryTower.call(queries);
        var llm = llmVectors.call(candidates);
        var mlp = scorer.call(users, query, llm);
        var bilinear = einsum("rk,rck->rc", userFactor.call(users), llmFactor.call(cat([llm, candidateFeatures], -1)));
        var global = llmBias.call(query).gather(1, candidates) + candidateBias.call(candidateFeatures).squeeze(-1);
        return mlp + bilinear + global;
    }
}
