using GraphRouter.Core.Domain;
using GraphRouter.Core.Featurization;

namespace GraphRouter.Training.Graph;

/// <summary>
/// Builds the batched graph of several users' visible histories (one user node per history), and per user
/// the count-aware pooled statistic Σ Response rows / (n + <see cref="PriorCount"/>): the Bradley-Terry
/// sufficient statistic of the history, shrunk towards zero when there are few interactions (the weights and
/// the accumulation are <see cref="PreferenceFeatures"/>', which serving uses too).
/// </summary>
public sealed class GraphBuilder
{
    /// <summary>Pseudo-interactions of the pooled statistic's shrinkage.</summary>
    public const double PriorCount = PreferenceFeatures.PriorCount;

    private readonly NodeFeaturizer _features;

    public GraphBuilder(NodeFeaturizer features)
    {
        _features = features;
    }

    public GraphBatch Build(IReadOnlyList<IReadOnlyList<Interaction>> histories)
    {
        var queryCount = histories.Sum(h => h.Count);
        var turnCount = histories.Sum(h => h.Sum(i => i.Ratings.Count));
        var d = _features.QueryDimension;
        var queryFeatures = new float[queryCount * d];
        var responseFeatures = new float[turnCount * _features.ResponseDimension];
        var queryToTurn = (new int[turnCount], new int[turnCount]);
        var llmToTurn = (new int[turnCount], new int[turnCount]);
        var responseToTurn = (new int[turnCount], new int[turnCount]);
        var turnToUser = (new int[turnCount], new int[turnCount]);
        var width = _features.ResponseDimension;
        var userStatistics = new float[histories.Count * width];
        var q = 0;
        var t = 0;
        for (var u = 0; u < histories.Count; u++)
        {
            foreach (var interaction in histories[u])
            {
                _features.QueryVector(interaction.QueryId).CopyTo(queryFeatures.AsSpan(q * d, d));
                _features.WriteResponses(interaction, responseFeatures.AsSpan(t * _features.ResponseDimension, interaction.Ratings.Count * _features.ResponseDimension));
                foreach (var rated in interaction.Ratings)
                {
                    Set(queryToTurn, t, q);
                    Set(llmToTurn, t, _features.LlmIndex(rated.Llm));
                    Set(responseToTurn, t, t);
                    turnToUser.Item1[t] = t;
                    turnToUser.Item2[t] = u;
                    t++;
                }
                q++;
            }
        }
        for (var turn = 0; turn < turnCount; turn++)
        {
            var u = turnToUser.Item2[turn];
            PreferenceFeatures.AddToPooledStatistic(
                responseFeatures.AsSpan(turn * width, width), PreferenceFeatures.PoolingWeight(histories[u].Count), userStatistics.AsSpan(u * width, width));
        }
        var edges = new EdgeList[GraphSchema.Relations.Count];
        edges[GraphSchema.IndexOf(GraphSchema.QueryToTurn)] = new EdgeList(queryToTurn.Item1, queryToTurn.Item2);
        edges[GraphSchema.IndexOf(GraphSchema.LlmToTurn)] = new EdgeList(llmToTurn.Item1, llmToTurn.Item2);
        edges[GraphSchema.IndexOf(GraphSchema.ResponseToTurn)] = new EdgeList(responseToTurn.Item1, responseToTurn.Item2);
        edges[GraphSchema.IndexOf(GraphSchema.TurnToUser)] = new EdgeList(turnToUser.Item1, turnToUser.Item2);
        return new GraphBatch
        {
            UserCount = histories.Count,
            QueryCount = queryCount,
            TurnCount = turnCount,
            LlmCount = _features.Llms.Count,
            QueryFeatures = queryFeatures,
            QueryDimension = d,
            ResponseFeatures = responseFeatures,
            ResponseDimension = _features.ResponseDimension,
            Edges = edges,
            HistoryLengths = histories.Select(h => h.Count).ToArray(),
            UserStatistics = userStatistics,
        };
    }

    private static void Set((int[] Sources, int[] Destinations) edges, int turn, int source)
    {
        edges.Sources[turn] = source;
        edges.Destinations[turn] = turn;
    }
}
