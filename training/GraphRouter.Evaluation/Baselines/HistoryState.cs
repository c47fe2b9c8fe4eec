using GraphRouter.Evaluation.Routers;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>The state of a router that ignores who the user is: only how much history it was shown.</summary>
internal sealed record HistoryState(int Interactions) : IUserState;
