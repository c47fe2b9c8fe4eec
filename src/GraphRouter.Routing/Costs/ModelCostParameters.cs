namespace GraphRouter.Routing.Costs;

/// <summary>
/// One model's fitted cost: cost = <see cref="UsdPerPromptToken"/> x prompt tokens +
/// <see cref="UsdPerAnswerToken"/> x the expected answer length, where the expected answer length is the
/// mean answer length of training prompts in the same prompt-length band (<see cref="PromptTokenEdges"/>,
/// <see cref="MeanAnswerTokens"/>): on routerbench, short prompts (code tasks) get long answers and long
/// few-shot prompts get one-letter answers, so the length of the answer is read off the prompt's length.
/// </summary>
public sealed record ModelCostParameters
{
    public required string Model { get; init; }
    /// <summary>Implied input price per token (non-negative least squares on observed costs).</summary>
    public required double UsdPerPromptToken { get; init; }
    /// <summary>Implied output price per token.</summary>
    public required double UsdPerAnswerToken { get; init; }
    /// <summary>Ascending band edges in prompt tokens: band i holds prompts with edges[i-1] &lt;= tokens &lt; edges[i].</summary>
    public required IReadOnlyList<double> PromptTokenEdges { get; init; }
    /// <summary>Mean answer tokens per band; one more entry than <see cref="PromptTokenEdges"/>.</summary>
    public required IReadOnlyList<double> MeanAnswerTokens { get; init; }
    /// <summary>The model's mean answer length over all training responses, in estimated tokens.</summary>
    public required double TypicalAnswerTokens { get; init; }
    /// <summary>How many responses it was fitted on.</summary>
    public required int Samples { get; init; }

    /// <summary>The expected answer length, in tokens, for a prompt of <paramref name="promptTokens"/> tokens.</summary>
    public double ExpectedAnswerTokens(double promptTokens)
    {
        var band = 0;
        while (band < PromptTokenEdges.Count && promptTokens >= PromptTokenEdges[band])
        {
            band++;
        }
        return MeanAnswerTokens[band];
    }

    public double ExpectedCostUsd(double promptTokens) =>
        (UsdPerPromptToken * promptTokens) + (UsdPerAnswerToken * ExpectedAnswerTokens(promptTokens));
}
