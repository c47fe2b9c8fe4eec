using GraphRouter.Core.Domain;
using GraphRouter.Evaluation.Routers;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>Scores every (user, query, LLM) with a seeded hash: the same seed gives the same scores, in any order of calls.</summary>
internal sealed class RandomModel(int seed) : IPreferenceModel
{
    public string Name => "random";

    public IUserState Observe(string userId, IReadOnlyList<Interaction> history) => new RandomUserState(userId, history.Count);

    public double[] Score(IUserState user, QueryInfo query, IReadOnlyList<string> llms)
    {
        var who = user is RandomUserState r ? r.User : "";
        return llms.Select(l => EvaluationSplit.StableUnit(seed, "random", who + "\u0001" + query.Id + "\u0001" + l)).ToArray();
    }
}
