using GraphRouter.Core.Domain;

namespace GraphRouter.Training.Training;

/// <summary>One training step's data: each user's visible interactions (the graph) and held-out pairs of the same users to score.</summary>
public sealed record Episode(IReadOnlyList<IReadOnlyList<Interaction>> Histories, IReadOnlyList<EpisodeTarget> Targets);
