using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GraphRouter.Training.Model;

/// <summary>
/// Scores candidate LLMs for (user, query): user, query and each candidate projected to H; each candidate
/// attends (multi-head) to the two tokens [user, query]; the attended vector concatenated with the
/// candidate's own and with their elementwise product (the bilinear user x LLM term a personalized
/// Bradley-Terry model is made of, which a ReLU layer over a plain concatenation approximates poorly),
/// a linear layer, ReLU, dropout, and a linear map to one score per candidate.
/// </summary>
public sealed class PreferenceScorer : Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly Linear userProjection;
    private readonly Linear queryProjection;
    private readonly Linear llmProjection;
    private readonly Linear attentionQuery;
    private readonly Linear attentionKey;
    private readonly Linear attentionValue;
    private readonly Linear attentionOutput;
    private readonly Linear hidden;
    private readonly Dropout dropout;
    private readonly Linear score;

    private readonly int _heads;
    private readonly int _headSize;

    public PreferenceScorer(string name, int userDimension, int queryDimension, int llmDimension, int size, int heads, double dropoutRate) : base(name)
    {
        if (size % heads != 0)
        {
            throw new ArgumentException($"scorer size {size} is not a multiple of {heads} heads", nameof(size));
        }
        _heads = heads;
        _headSize = size / heads;
        userProjection = Linear(userDimension, size);
        queryProjection = Linear(queryDimension, size);
        llmProjection = Linear(llmDimension, size);
        attentionQuery = Linear(size, size);
        attentionKey = Linear(size, size);
        attentionValue = Linear(size, size);
        attentionOutput = Linear(size, size);
        hidden = Linear(3 * size, size);
        dropout = Dropout(dropoutRate);
        score = Linear(size, 1);
        RegisterComponents();
    }

    /// <param name="users">[rows, user dimension]</param>
    /// <param name="queries">[rows, query dimension]</param>
    /// <param name="candidates">[rows, candidates, llm dimension]</param>
    /// <returns>[rows, candidates]</returns>
    public override Tensor forward(Tensor users, Tensor queries, Tensor candidates)
    {
        var rows = candidates.shape[0];
        var count = candidates.shape[1];
        var tokens = stack([userProjection.call(users), queryProjection.call(queries)], 1);
        var llm = llmProjection.call(candidates);
        var q = attentionQuery.call(llm).view(rows, count, _heads, _headSize);
        var k = attentionKey.call(tokens).view(rows, 2, _heads, _headSize);
        var v = attentionValue.call(tokens).view(rows, 2, _heads, _headSize);
        var weights = (einsum("rchd,rthd->rcht", q, k) / Math.Sqrt(_headSize)).softmax(-1);
        var attended = einsum("rcht,rthd->rchd", weights, v).reshape(rows, count, -1);
        var context = attentionOutput.call(attended);
        var joined = cat([context, llm, context * llm], -1);
        return score.call(dropout.call(functional.relu(hidden.call(joined)))).squeeze(-1);
    }
}
