using GraphRouter.Core.Domain;
using GraphRouter.Evaluation.Routers;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Scoring;

/// <summary>
/// GraphRouter under the evaluation harness: a user's state is the embedding of their visible history
/// (known users: everything before the hold-out, windowed; new users: their first k; none: the prior).
/// No per-user parameters: known and new users go through the same encoder.
/// </summary>
public sealed class GraphRouterPreferenceModel : IPreferenceModel
{
    private readonly TrainedGraphRouter _router;

    public GraphRouterPreferenceModel(TrainedGraphRouter router)
    {
        _router = router;
    }

    public string Name => "GraphRouter";

    public IUserState Observe(string userId, IReadOnlyList<Interaction> history) =>
        new GraphRouterUserState(_router.EncodeUsers([history])[0], history.Count);

    public double[] Score(IUserState user, QueryInfo query, IReadOnlyList<string> llms)
    {
        if (user is not GraphRouterUserState state)
        {
            throw new ArgumentException($"expected a state from {Name}'s Observe, got {user.GetType().Name}", nameof(user));
        }
        return _router.Score(state.Embedding, query, llms);
    }
}
