using GraphRouter.Evaluation.Routers;

namespace GraphRouter.Evaluation.Baselines;

internal sealed record RandomUserState(string User, int Interactions) : IUserState;
