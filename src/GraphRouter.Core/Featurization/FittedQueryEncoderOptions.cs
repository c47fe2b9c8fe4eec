namespace GraphRouter.Core.Featurization;

/// <summary>How a <see cref="FittedQueryEncoder"/> is fitted. The same options and data give the same encoder.</summary>
public sealed record FittedQueryEncoderOptions
{
    /// <summary>Hashed n-gram buckets (the input space, <see cref="HashedNgramEncoder"/>).</summary>
    public int Buckets { get; init; } = 512;

    /// <summary>Ridge penalties tried; each output keeps the one with the smallest cross-validated error.</summary>
    public IReadOnlyList<double> Lambdas { get; init; } = [0.1, 0.3, 1, 3, 10, 30];

    /// <summary>Cross-validation folds over the training prompts (assigned by a seeded hash of the prompt id).</summary>
    public int Folds { get; init; } = 4;

    public int Seed { get; init; } = 17;

    /// <summary>Whether the outputs include the predicted per-LLM outcomes (off: request kind and text statistics only).</summary>
    public bool IncludeOutcomes { get; init; } = true;

    public void Validate()
    {
        var errors = new List<string>();
        if (Buckets < 8)
        {
            errors.Add($"Buckets must be at least 8 (got {Buckets})");
        }
        if (Lambdas.Count == 0 || Lambdas.Any(l => !(l > 0) || !double.IsFinite(l)))
        {
            errors.Add("Lambdas must be a non-empty list of positive numbers");
        }
        if (Folds < 2)
        {
            errors.Add($"Folds must be at least 2 (got {Folds})");
        }
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid encoder options: " + string.Join("; ", errors));
        }
    }
}
