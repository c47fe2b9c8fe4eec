using GraphRouter.Training.Graph;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GraphRouter.Training.Model;

/// <summary>
/// The user encoder: per-type input projections (Query from the query tower, Llm from its learned vector,
/// Response from its rating and answer features, Turn a learned type vector, User a learned prior), then
/// <see cref="HgtOptions.Layers"/> <see cref="HgtLayer"/>s. Returns the User nodes' states [users, hidden]:
/// an attention-pooled set encoding of each user's own (query, llm, rating) history; a user with no
/// history gets a constant (the cold-start prior).
/// </summary>
public sealed class HeteroGraphEncoder : Module<Tensor, Tensor, GraphTensors, Tensor>
{
    private readonly Linear queryInput;
    private readonly Linear llmInput;
    private readonly Linear responseInput;
    private readonly Parameter turnType;
    private readonly Parameter userPrior;
    private readonly ModuleList<HgtLayer> layers;

    public HeteroGraphEncoder(string name, HgtOptions options, int responseDimension) : base(name)
    {
        queryInput = Linear(options.QueryBottleneck, options.Hidden);
        llmInput = Linear(options.LlmDimension, options.Hidden);
        responseInput = Linear(responseDimension, options.Hidden);
        turnType = Parameter(randn(1, options.Hidden) * 0.1);
        userPrior = Parameter(randn(1, options.Hidden) * 0.1);
        layers = new ModuleList<HgtLayer>();
        for (var i = 0; i < options.Layers; i++)
        {
            layers.Add(new HgtLayer($"layer{i}", options.Hidden, options.Heads, options.Dropout));
        }
        RegisterComponents();
    }

    /// <param name="queries">[graph query nodes, bottleneck]: the query tower's output for the graph's Query nodes.</param>
    /// <param name="llms">[catalog LLMs, llm dimension]: every LLM's learned vector.</param>
    public override Tensor forward(Tensor queries, Tensor llms, GraphTensors graph)
    {
        var states = new Tensor[GraphSchema.NodeTypes.Count];
        states[(int)NodeType.Query] = queryInput.call(queries);
        states[(int)NodeType.Llm] = llmInput.call(llms);
        states[(int)NodeType.Response] = responseInput.call(graph.ResponseFeatures);
        states[(int)NodeType.Turn] = turnType.expand(graph.Batch.TurnCount, -1);
        states[(int)NodeType.User] = userPrior.expand(graph.Batch.UserCount, -1);
        foreach (var layer in layers)
        {
            states = layer.call(states, graph);
        }
        return states[(int)NodeType.User];
    }
}
