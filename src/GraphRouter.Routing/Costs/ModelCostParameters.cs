namespace GraphRouter.Routing.Costs;

/// <summary>One model's fitted cost line: cost = <see cref="InterceptUsd"/> + <see cref="UsdPerPromptToken"/> x prompt tokens.</summary>
public sealed record ModelCostParameters
{
    public required string Model { get; init; }
    public required double InterceptUsd { get; init; }
    public required double UsdPerPromptToken { get; init; }
    /// <summary>The median length of the model's answers in the fitting data, in estimated tokens.</summary>
    public required double TypicalAnswerTokens { get; init; }
    /// <summary>How many responses the line was fitted on.</summary>
    public required int Samples { get; init; }
}
