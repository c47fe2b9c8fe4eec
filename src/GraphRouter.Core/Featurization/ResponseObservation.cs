namespace GraphRouter.Core.Featurization;

/// <summary>
/// One rated response of an interaction as the featurization sees it: the LLM's index in the catalog, the
/// user's rating on the declared scale, and the realized answer's length in characters and cost where known.
/// Training knows both from the dataset's outcome or neither; a stored response may carry either.
/// An unknown length or cost contributes 0 (the standardized mean), in training and in serving alike.
/// </summary>
public readonly record struct ResponseObservation(int Llm, double Rating, int? Characters, double? CostUsd);
