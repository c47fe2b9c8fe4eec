using GraphRouter.Core.Domain;

namespace GraphRouter.Training.Training;

/// <summary>A pair to score for the user at <see cref="UserIndex"/> of an episode; its rating is outside that user's graph.</summary>
public readonly record struct EpisodeTarget(int UserIndex, PreferencePair Pair);
