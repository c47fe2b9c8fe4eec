using GraphRouter.Core.Domain;

namespace GraphRouter.Evaluation.Routers;

/// <summary>
/// A fitted router under evaluation: it infers a user from that user's visible history, then scores
/// candidate LLMs for a query. Higher score = the user is predicted to prefer that LLM's answer.
/// GraphRouter's model and every baseline implement this, so all are scored on the same split.
/// </summary>
public interface IPreferenceModel
{
    string Name { get; }

    /// <summary>
    /// The user's state from their visible history (oldest first; may be empty: cold start). A model
    /// may use what it learned about <paramref name="userId"/> in training (known users), but never any
    /// rating outside <paramref name="history"/> and its training data.
    /// </summary>
    IUserState Observe(string userId, IReadOnlyList<Interaction> history);

    /// <summary>Scores for each of <paramref name="llms"/> (same order) on <paramref name="query"/> for <paramref name="user"/>.</summary>
    double[] Score(IUserState user, QueryInfo query, IReadOnlyList<string> llms);
}

/// <summary>Whatever a model keeps about one user after observing their history.</summary>
public interface IUserState
{
    /// <summary>How many interactions informed this state.</summary>
    int Interactions { get; }
}

/// <summary>Trains an <see cref="IPreferenceModel"/> on a split's training part (and may use its validation part to stop early).</summary>
public interface IPreferenceModelTrainer
{
    string Name { get; }

    IPreferenceModel Fit(Splits.EvaluationSplit split, int seed);
}
