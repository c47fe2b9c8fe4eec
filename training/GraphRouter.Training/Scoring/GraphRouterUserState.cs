using GraphRouter.Evaluation.Routers;

namespace GraphRouter.Training.Scoring;

/// <summary>A user as GraphRouter sees them: the graph encoder's embedding of their visible history.</summary>
internal sealed record GraphRouterUserState(float[] Embedding, int Interactions) : IUserState;
