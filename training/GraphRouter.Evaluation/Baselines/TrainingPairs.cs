using GraphRouter.Core.Domain;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>Non-tied pairs of a set of interactions, indexed: user, query, winner LLM, loser LLM.</summary>
internal sealed class TrainingPairs
{
    private TrainingPairs(string[] users, string[] queries, int[] user, int[] query, int[] winner, int[] loser)
    {
        Users = users;
        Queries = queries;
        User = user;
        Query = query;
        Winner = winner;
        Loser = loser;
    }

    public string[] Users { get; }
    public string[] Queries { get; }
    public int[] User { get; }
    public int[] Query { get; }
    public int[] Winner { get; }
    public int[] Loser { get; }
    public int Count => Winner.Length;

    public static TrainingPairs From(IEnumerable<Interaction> interactions, LlmIndex llms)
    {
        var users = new Dictionary<string, int>(StringComparer.Ordinal);
        var queries = new Dictionary<string, int>(StringComparer.Ordinal);
        List<int> u = [], q = [], w = [], l = [];
        foreach (var interaction in interactions)
        {
            foreach (var pair in interaction.Pairs())
            {
                if (!users.TryGetValue(interaction.User, out var ui))
                {
                    ui = users.Count;
                    users[interaction.User] = ui;
                }
                if (!queries.TryGetValue(interaction.QueryId, out var qi))
                {
                    qi = queries.Count;
                    queries[interaction.QueryId] = qi;
                }
                u.Add(ui);
                q.Add(qi);
                w.Add(llms[pair.Winner]);
                l.Add(llms[pair.Loser]);
            }
        }
        return new TrainingPairs(
            users.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray(),
            queries.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray(),
            [.. u], [.. q], [.. w], [.. l]);
    }
}
