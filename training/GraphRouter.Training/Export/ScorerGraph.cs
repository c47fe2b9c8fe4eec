using GraphRouter.Onnx;
using GraphRouter.Serving.Runtime;
using GraphRouter.Training.Model;

namespace GraphRouter.Training.Export;

/// <summary>
/// Writes <see cref="GraphRouterModel.ScoreCandidates"/> (eval mode) as an ONNX graph from the model's weights:
/// user tokens [rows, H], raw query vectors [rows, D], candidate LLM indices [rows, C] and their φ features
/// [rows, C, P] to scores [rows, C]. Everything that depends on the LLM alone (its learned vector through the
/// scorer's LLM projection and attention query, and through the bilinear LLM factor) is computed once per
/// catalog LLM from initializers, which ONNX Runtime folds into constant tables when it loads the graph, and
/// then gathered per candidate: a route pays only for what depends on the user, the query and φ.
/// </summary>
public static class ScorerGraph
{
    public static byte[] Build(ModelWeights weights, PolicyDimensions dims, string producerVersion)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(dims);
        var g = new WeightedGraph("graphrouter-scorer", weights, producerVersion);
        var b = g.Builder;
        var o = dims.Model;
        var s = o.ScorerHidden;
        var heads = o.ScorerHeads;
        var d = dims.ScorerHeadSize;
        var p = dims.CandidateDimension;

        var users = b.Input(PolicyGraphs.ScorerUsers, OnnxElementType.Float, [PolicyGraphs.RowsDim, o.Hidden]);
        var queries = b.Input(PolicyGraphs.ScorerQueries, OnnxElementType.Float, [PolicyGraphs.RowsDim, dims.QueryDimension]);
        var candidates = b.Input(PolicyGraphs.Candidates, OnnxElementType.Int64, [PolicyGraphs.RowsDim, PolicyGraphs.CandidatesDim]);
        var phi = b.Input(PolicyGraphs.CandidateFeatures, OnnxElementType.Float, [PolicyGraphs.RowsDim, PolicyGraphs.CandidatesDim, p]);

        var query = b.Gelu(g.Linear(queries, "queryTower.linear", dims.QueryDimension, o.QueryBottleneck));
        var llmTable = g.Parameter("llmVectors.weight", dims.LlmCount, o.LlmDimension);

        // PreferenceScorer: each candidate attends (multi-head) to the two tokens [user, query].
        var llmProjectionTable = g.Linear(llmTable, "scorer.llmProjection", o.LlmDimension, s);
        var llm = b.Gather(llmProjectionTable, candidates);                                        // [rows, C, S]
        var attentionQuery = b.Transpose(
            b.Reshape(b.Gather(g.Linear(llmProjectionTable, "scorer.attentionQuery", s, s), candidates), 0, 0, heads, d), 0, 2, 1, 3); // [rows, heads, C, d]
        var tokens = b.Concat(1,
            b.Unsqueeze(g.Linear(users, "scorer.userProjection", o.Hidden, s), 1),
            b.Unsqueeze(g.Linear(query, "scorer.queryProjection", o.QueryBottleneck, s), 1));    // [rows, 2, S]
        var keys = b.Transpose(b.Reshape(g.LinearNd(tokens, "scorer.attentionKey", s, s), 0, 0, heads, d), 0, 2, 3, 1);   // [rows, heads, d, 2]
        var values = b.Transpose(b.Reshape(g.LinearNd(tokens, "scorer.attentionValue", s, s), 0, 0, heads, d), 0, 2, 1, 3); // [rows, heads, 2, d]
        var weightsOverTokens = b.Softmax(b.Div(b.MatMul(attentionQuery, keys), b.FloatScalar((float)Math.Sqrt(d))), -1);
        var attended = b.Reshape(b.Transpose(b.MatMul(weightsOverTokens, values), 0, 2, 1, 3), 0, 0, s);
        var context = g.LinearNd(attended, "scorer.attentionOutput", s, s);
        var joined = b.Concat(-1, context, llm, b.Mul(context, llm));
        var hidden = b.Relu(g.LinearNd(joined, "scorer.hidden", 3 * s, s));
        var mlp = b.Squeeze(g.LinearNd(hidden, "scorer.score", s, 1), 2);

        // Bilinear user × (LLM vector ; φ): llmFactor's weight split into its LLM and φ columns.
        var userFactor = g.Linear(users, "userFactor", o.Hidden, o.BilinearRank, bias: false); // [rows, K]
        var rank = o.BilinearRank;
        var width = o.LlmDimension + p;
        var factorWeight = weights.Get("llmFactor.weight", rank, width);
        var llmColumns = g.Derived("llmFactor.weight.llm", () => Columns(factorWeight, rank, width, 0, o.LlmDimension), rank, o.LlmDimension);
        var phiColumnsT = g.Derived("llmFactor.weight.phi.T", () => WeightedGraph.Transpose(Columns(factorWeight, rank, width, o.LlmDimension, p), rank, p), p, rank);
        var llmFactorTable = b.Linear(llmTable, llmColumns, g.Parameter("llmFactor.bias", rank));    // [L, K]
        var candidateFactor = b.Add(b.Gather(llmFactorTable, candidates), b.MatMul(phi, phiColumnsT)); // [rows, C, K]
        var bilinear = b.Squeeze(b.MatMul(candidateFactor, b.Unsqueeze(userFactor, 2)), 2);

        // The population's query-conditioned preference: b_llm(q) for each candidate, plus w · φ.
        var llmBias = g.Linear(query, "llmBias", o.QueryBottleneck, dims.LlmCount);               // [rows, L]
        var gathered = b.Node("GatherElements", [llmBias, candidates], OnnxElementType.Float, OnnxAttributeValue.Int("axis", 1));
        var candidateBias = b.Squeeze(g.LinearNd(phi, "candidateBias", p, 1, bias: false), 2);
        var global = b.Add(gathered, candidateBias);

        b.Output(PolicyGraphs.Scores, b.Add(b.Add(mlp, bilinear), global), [PolicyGraphs.RowsDim, PolicyGraphs.CandidatesDim]);
        return b.Build();
    }

    /// <summary>Columns [start, start + count) of a [rows, cols] row-major matrix.</summary>
    private static float[] Columns(float[] matrix, int rows, int cols, int start, int count)
    {
        var result = new float[rows * count];
        for (var r = 0; r < rows; r++)
        {
            matrix.AsSpan(r * cols + start, count).CopyTo(result.AsSpan(r * count, count));
        }
        return result;
    }
}
