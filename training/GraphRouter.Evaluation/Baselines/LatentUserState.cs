using GraphRouter.Evaluation.Routers;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>A user's factor vector u (the MAP estimate from their visible history).</summary>
internal sealed record LatentUserState(double[] Factors, int Interactions) : IUserState;
