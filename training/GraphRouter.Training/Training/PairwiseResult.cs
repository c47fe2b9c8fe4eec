namespace GraphRouter.Training.Training;

/// <summary>Share of held-out non-tied pairs ranked the user's way, over <see cref="Pairs"/> pairs.</summary>
public readonly record struct PairwiseResult(double Accuracy, int Pairs);
