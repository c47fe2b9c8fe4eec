namespace GraphRouter.Evaluation.Splits;

/// <summary>How a preference dataset is cut into training, validation and test parts. Seeded: the same config gives the same split.</summary>
public sealed record SplitConfig
{
    public int Seed { get; init; } = 17;
    /// <summary>Share of prompts held out of training entirely; test targets use only these.</summary>
    public double TestQueryFraction { get; init; } = 0.25;
    /// <summary>Share of prompts held out for validation (early stopping, model selection).</summary>
    public double ValidationQueryFraction { get; init; } = 0.10;
    /// <summary>Share of users held out entirely as new users (the few-shot curve).</summary>
    public double NewUserFraction { get; init; } = 0.20;
    /// <summary>Share of users held out entirely for validation.</summary>
    public double ValidationUserFraction { get; init; } = 0.10;
    /// <summary>For known users, the share of their latest interactions held out as targets.</summary>
    public double KnownUserHoldoutFraction { get; init; } = 0.20;
    /// <summary>New users' targets are their interactions from this index on, so every k of the few-shot curve scores the same pairs.</summary>
    public int FewShotTargetStart { get; init; } = 20;
    public IReadOnlyList<int> FewShotKs { get; init; } = [0, 1, 2, 5, 10, 20];
}
