using GraphRouter.Evaluation.Routers;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>One user's own Bradley-Terry strengths, indexed like the model's LLMs.</summary>
internal sealed record UserStrengthState(double[] Strengths, int Interactions) : IUserState;
