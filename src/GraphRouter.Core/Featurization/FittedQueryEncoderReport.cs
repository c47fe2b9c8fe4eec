namespace GraphRouter.Core.Featurization;

/// <summary>What a fit measured on its own training prompts by cross-validation (never on held-out prompts).</summary>
public sealed record FittedQueryEncoderReport
{
    public required int TrainingPrompts { get; init; }
    /// <summary>The regression targets, in order: <c>kind:K</c>, <c>correct:LLM</c>, <c>loglength:LLM</c>, <c>logcost:LLM</c>.</summary>
    public required IReadOnlyList<string> Targets { get; init; }
    /// <summary>The ridge penalty chosen for each target.</summary>
    public required IReadOnlyList<double> Lambdas { get; init; }
    /// <summary>Each target's out-of-fold R².</summary>
    public required IReadOnlyList<double> OutOfFoldR2 { get; init; }
    /// <summary>Out-of-fold accuracy of the request-kind classifier; NaN where the data has no kinds.</summary>
    public required double KindOutOfFoldAccuracy { get; init; }
}
