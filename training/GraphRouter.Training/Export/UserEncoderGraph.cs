using GraphRouter.Onnx;
using GraphRouter.Serving.Runtime;
using GraphRouter.Training.Graph;
using GraphRouter.Training.Model;

namespace GraphRouter.Training.Export;

/// <summary>
/// Writes <see cref="GraphRouterModel.EncodeUsers"/> for ONE user as an ONNX graph (eval mode: dropout is the
/// identity), from the model's weights. One user's graph is Q query nodes, T turns (each with exactly one
/// incoming edge per relation: its query, its LLM, its response) and one User node fed by all T turns, so:
/// <list type="bullet">
/// <item>a Turn's softmax is over its 3 edges: the three relation scores stacked [T, 3, heads], Softmax on axis 1;</item>
/// <item>the User's softmax is over all T turns: scores [T, heads], Softmax on axis 0;</item>
/// <item>per (relation, head) K and V transforms are folded into the source type's K and V Linear (each source type
/// sends along one relation), one Gemm each;</item>
/// <item>as in <see cref="HgtLayer"/>, both destinations of a layer attend to the states from before that layer, so the
/// User is updated first here and the last layer's Turn update, which reaches nothing, is not written.</item>
/// </list>
/// The catalog's LLM states and their per-layer keys and values depend on weights only; ONNX Runtime folds them
/// into constants when it loads the graph. The pooled statistic is an input (serving computes it with Core's
/// <c>PreferenceFeatures</c>, the code training uses) and its projection is added inside the graph.
/// T = 0 (no history) is not a graph input: the cold-start token is exported as a constant in runtime.json.
/// </summary>
public static class UserEncoderGraph
{
    public static byte[] Build(ModelWeights weights, PolicyDimensions dims, string producerVersion)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(dims);
        var g = new WeightedGraph("graphrouter-user-encoder", weights, producerVersion);
        var b = g.Builder;
        var o = dims.Model;
        var h = o.Hidden;
        var heads = o.Heads;
        var d = dims.HeadSize;
        var relations = GraphSchema.Relations.Count;

        var queryVectors = b.Input(PolicyGraphs.QueryVectors, OnnxElementType.Float, [PolicyGraphs.QueriesDim, dims.QueryDimension]);
        var turnQueries = b.Input(PolicyGraphs.TurnQueries, OnnxElementType.Int64, [PolicyGraphs.TurnsDim]);
        var turnLlms = b.Input(PolicyGraphs.TurnLlms, OnnxElementType.Int64, [PolicyGraphs.TurnsDim]);
        var responseFeatures = b.Input(PolicyGraphs.ResponseFeatures, OnnxElementType.Float, [PolicyGraphs.TurnsDim, dims.ResponseDimension]);
        var userStatistic = b.Input(PolicyGraphs.UserStatistic, OnnxElementType.Float, [1, dims.ResponseDimension]);

        // Input projections (HeteroGraphEncoder.forward; the query tower is GraphRouterModel's).
        var tower = b.Gelu(g.Linear(queryVectors, "queryTower.linear", dims.QueryDimension, o.QueryBottleneck));
        var sources = new Dictionary<NodeType, (OnnxValue States, OnnxValue? Index)>
        {
            [NodeType.Query] = (g.Linear(tower, "encoder.queryInput", o.QueryBottleneck, h), turnQueries),
            [NodeType.Llm] = (g.Linear(g.Parameter("llmVectors.weight", dims.LlmCount, o.LlmDimension), "encoder.llmInput", o.LlmDimension, h), turnLlms),
            [NodeType.Response] = (g.Linear(responseFeatures, "encoder.responseInput", dims.ResponseDimension, h), null),
        };
        var turnShape = b.Concat(0, b.Shape(turnQueries), b.Int64Vector(h));
        var turn = b.Expand(g.Parameter("encoder.turnType", 1, h), turnShape);
        var user = g.Parameter("encoder.userPrior", 1, h);

        for (var layer = 0; layer < o.Layers; layer++)
        {
            var p = $"encoder.layers.{layer}.";
            var attention = weights.Get(p + "relationAttention", relations, heads, d, d);
            var message = weights.Get(p + "relationMessage", relations, heads, d, d);
            var prior = weights.Get(p + "relationPrior", relations, heads);
            var skip = weights.Get(p + "skip", GraphSchema.NodeTypes.Count);

            OnnxValue Transformed(OnnxValue states, string kind, NodeType source, float[] perRelation, int r) =>
                g.LinearThenHeads(states, $"{p}{kind}.{source}", $"relation{r}", perRelation.AsMemory(r * heads * d * d, heads * d * d), heads, d);

            OnnxValue Scores(OnnxValue queries, OnnxValue keys, int r) =>
                b.Div(
                    b.Mul(b.ReduceSum(b.Reshape(b.Mul(queries, keys), 0, heads, d), [2], keepDims: false),
                        g.Derived($"{p}relationPrior.{r}", () => WeightedGraph.Slice(prior, relations, r), heads)),
                    b.FloatScalar((float)Math.Sqrt(d)));

            OnnxValue Update(NodeType type, OnnxValue x, OnnxValue aggregated)
            {
                var projected = g.Linear(b.Gelu(aggregated), $"{p}output.{type}", h, h);
                var gate = b.Sigmoid(b.FloatScalar(skip[(int)type]));
                var mixed = b.Add(b.Mul(gate, projected), b.Mul(b.Sub(b.FloatScalar(1f), gate), x));
                return b.LayerNormalization(mixed, g.Parameter($"{p}norm.{type}.weight", h), g.Parameter($"{p}norm.{type}.bias", h));
            }

            // User: softmax over all its turns (the turn states from before this layer), per head.
            var (userRelation, _) = GraphSchema.Into(NodeType.User).Single();
            var userQuery = g.Linear(user, $"{p}query.{NodeType.User}", h, h);
            var userKeys = Transformed(turn, "key", NodeType.Turn, attention, userRelation);
            var userValues = Transformed(turn, "value", NodeType.Turn, message, userRelation);
            var userAlpha = b.Softmax(Scores(userQuery, userKeys, userRelation), 0);
            var userAggregated = b.Reshape(
                b.ReduceSum(b.Mul(b.Reshape(userValues, 0, heads, d), b.Unsqueeze(userAlpha, 2)), [0], keepDims: true), 1, h);
            user = Update(NodeType.User, user, userAggregated);
            if (layer == o.Layers - 1)
            {
                break; // the last layer's Turn states reach nothing: the User read the ones from before it
            }

            // Turn: softmax over its three incoming edges (query, llm, response), per head.
            var turnQuery = g.Linear(turn, $"{p}query.{NodeType.Turn}", h, h);
            var turnScores = new List<OnnxValue>();
            var turnMessages = new List<OnnxValue>();
            foreach (var (r, relation) in GraphSchema.Into(NodeType.Turn))
            {
                var (states, index) = sources[relation.Source];
                var keys = Transformed(states, "key", relation.Source, attention, r);
                var values = Transformed(states, "value", relation.Source, message, r);
                if (index is { } gather)
                {
                    keys = b.Gather(keys, gather);
                    values = b.Gather(values, gather);
                }
                turnScores.Add(b.Unsqueeze(Scores(turnQuery, keys, r), 1));
                turnMessages.Add(b.Unsqueeze(b.Reshape(values, 0, heads, d), 1));
            }
            var turnAlpha = b.Softmax(b.Concat(1, [.. turnScores]), 1);
            var turnAggregated = b.Reshape(
                b.ReduceSum(b.Mul(b.Concat(1, [.. turnMessages]), b.Unsqueeze(turnAlpha, 3)), [1], keepDims: false), 0, h);

            turn = Update(NodeType.Turn, turn, turnAggregated);
        }

        var token = b.Add(user, b.Gemm(userStatistic, g.Parameter("userStatistics.weight", h, dims.ResponseDimension), transB: true));
        b.Output(PolicyGraphs.UserToken, token, [1, h]);
        return b.Build();
    }
}
