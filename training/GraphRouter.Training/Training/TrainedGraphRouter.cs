using GraphRouter.Core.Domain;
using GraphRouter.Training.Graph;
using GraphRouter.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace GraphRouter.Training.Training;

/// <summary>
/// A trained model with what it needs at inference: its node featurizer (query encoder, response
/// statistics, LLM catalog) and config. Every call runs in eval mode, under no_grad, in its own dispose scope.
/// </summary>
public sealed class TrainedGraphRouter : IDisposable
{
    public TrainedGraphRouter(GraphRouterModel model, NodeFeaturizer features, TrainingConfig config)
    {
        Model = model;
        Features = features;
        Config = config;
        Builder = new GraphBuilder(features);
    }

    public GraphRouterModel Model { get; }
    public NodeFeaturizer Features { get; }
    public TrainingConfig Config { get; }
    public GraphBuilder Builder { get; }

    /// <summary>The latest <see cref="TrainingConfig.HistoryWindow"/> interactions of a history.</summary>
    public IReadOnlyList<Interaction> Window(IReadOnlyList<Interaction> history) =>
        history.Count > Config.HistoryWindow ? history.Skip(history.Count - Config.HistoryWindow).ToList() : history;

    /// <summary>One embedding per history (each windowed).</summary>
    public float[][] EncodeUsers(IReadOnlyList<IReadOnlyList<Interaction>> histories)
    {
        Model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var graph = GraphTensors.From(Builder.Build(histories.Select(Window).ToList()));
        var users = Model.EncodeUsers(graph);
        var hidden = (int)users.shape[1];
        var flat = users.data<float>().ToArray();
        return Enumerable.Range(0, histories.Count).Select(u => flat.AsSpan(u * hidden, hidden).ToArray()).ToArray();
    }

    /// <summary>Scores of <paramref name="llms"/> for one user embedding and one query.</summary>
    public double[] Score(float[] user, QueryInfo query, IReadOnlyList<string> llms)
    {
        Model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var indices = llms.Select(Features.LlmIndex).ToArray();
        var phi = new float[indices.Length * Features.CandidateDimension];
        Features.WriteCandidates(query.Id, indices, phi);
        var scores = Model.ScoreCandidates(
            HostTensors.Float(user, 1, user.Length),
            HostTensors.Float(Features.QueryVector(query), 1, Features.QueryDimension),
            HostTensors.Indices(indices).view(1, llms.Count),
            HostTensors.Float(phi, 1, llms.Count, Features.CandidateDimension));
        return scores.data<float>().ToArray().Select(s => (double)s).ToArray();
    }

    /// <summary>
    /// Pairwise accuracy (ties in predicted score count half) on the target pairs of <paramref name="cases"/>,
    /// each user's embedding from that case's history only. Batched: many users per graph.
    /// </summary>
    public PairwiseResult PairwiseAccuracy(IReadOnlyList<GraphRouter.Evaluation.Splits.UserCase> cases, int usersPerBatch = 128)
    {
        double correct = 0;
        var pairs = 0;
        foreach (var chunk in cases.Chunk(usersPerBatch))
        {
            var targets = chunk.SelectMany((c, u) => c.Targets.SelectMany(t => t.Pairs()).Select(p => new EpisodeTarget(u, p))).ToList();
            if (targets.Count == 0)
            {
                continue;
            }
            Model.eval();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var batch = Rows(GraphTensors.From(Builder.Build(chunk.Select(c => Window(c.History)).ToList())), targets);
            var scores = Model.call(batch).data<float>().ToArray();
            for (var i = 0; i < targets.Count; i++)
            {
                var margin = scores[2 * i] - scores[2 * i + 1];
                correct += margin > 0 ? 1 : margin == 0 ? 0.5 : 0;
            }
            pairs += targets.Count;
        }
        return new PairwiseResult(pairs == 0 ? double.NaN : correct / pairs, pairs);
    }

    /// <summary>Rows for targets: each pair's user, query vector, [winner, loser] and their φ(llm, q).</summary>
    public PreferenceBatch Rows(GraphTensors graph, IReadOnlyList<EpisodeTarget> targets)
    {
        var d = Features.QueryDimension;
        var queries = new float[targets.Count * d];
        var candidates = new long[targets.Count * 2];
        var users = new long[targets.Count];
        var c = Features.CandidateDimension;
        var phi = new float[targets.Count * 2 * c];
        for (var i = 0; i < targets.Count; i++)
        {
            var (user, pair) = (targets[i].UserIndex, targets[i].Pair);
            users[i] = user;
            Features.QueryVector(pair.Source.QueryId).CopyTo(queries.AsSpan(i * d, d));
            candidates[2 * i] = Features.LlmIndex(pair.Winner);
            candidates[2 * i + 1] = Features.LlmIndex(pair.Loser);
            Features.WriteCandidates(pair.Source.QueryId, [(int)candidates[2 * i], (int)candidates[2 * i + 1]], phi.AsSpan(i * 2 * c, 2 * c));
        }
        return new PreferenceBatch(
            graph,
            HostTensors.Long(users, targets.Count),
            HostTensors.Float(queries, targets.Count, d),
            HostTensors.Long(candidates, targets.Count, 2),
            HostTensors.Float(phi, targets.Count, 2, c));
    }

    public void Dispose() => Model.Dispose();
}
