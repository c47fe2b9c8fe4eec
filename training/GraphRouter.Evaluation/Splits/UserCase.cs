using GraphRouter.Core.Domain;

namespace GraphRouter.Evaluation.Splits;

/// <summary>
/// One evaluated user: the interactions a router may see (<see cref="History"/>, oldest first) and the
/// later ones whose pairs it is scored on (<see cref="Targets"/>). Target ratings are never in the history.
/// </summary>
public sealed record UserCase(string User, IReadOnlyList<Interaction> History, IReadOnlyList<Interaction> Targets)
{
    /// <summary>The same user seeing only the first <paramref name="k"/> history interactions.</summary>
    public UserCase WithHistory(int k) => this with { History = History.Take(k).ToList() };
}
