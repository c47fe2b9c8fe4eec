namespace GraphRouter.Core.Domain;

/// <summary>One supervision unit: within <see cref="Source"/>, the user rated <see cref="Winner"/> above <see cref="Loser"/>.</summary>
public readonly record struct PreferencePair(Interaction Source, string Winner, string Loser);
