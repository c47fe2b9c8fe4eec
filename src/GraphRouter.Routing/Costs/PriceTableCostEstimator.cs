using GraphRouter.Core.Domain;

namespace GraphRouter.Routing.Costs;

/// <summary>
/// Expected cost from registered prices: estimated input tokens x input price + the model's typical answer
/// length in tokens x output price (prices per one million tokens). A model without both prices, or not
/// registered, has an unknown cost.
/// </summary>
public sealed class PriceTableCostEstimator : IExpectedCostEstimator
{
    private readonly Dictionary<string, LlmInfo> _llms;
    private readonly IReadOnlyDictionary<string, double> _typicalAnswerTokens;
    private readonly double _defaultAnswerTokens;

    /// <param name="llms">The registered models and their prices.</param>
    /// <param name="typicalAnswerTokens">Per model, its typical answer length in tokens (e.g. the median of its past answers).</param>
    /// <param name="defaultAnswerTokens">The answer length assumed for a model missing from <paramref name="typicalAnswerTokens"/>.</param>
    public PriceTableCostEstimator(IEnumerable<LlmInfo> llms, IReadOnlyDictionary<string, double> typicalAnswerTokens, double defaultAnswerTokens)
    {
        ArgumentNullException.ThrowIfNull(llms);
        ArgumentNullException.ThrowIfNull(typicalAnswerTokens);
        if (!double.IsFinite(defaultAnswerTokens) || defaultAnswerTokens < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(defaultAnswerTokens), defaultAnswerTokens, "must be a finite number >= 0");
        }
        _llms = llms.ToDictionary(l => l.Name, StringComparer.Ordinal);
        _typicalAnswerTokens = typicalAnswerTokens;
        _defaultAnswerTokens = defaultAnswerTokens;
    }

    public double? ExpectedCostUsd(string model, string queryText)
    {
        ArgumentNullException.ThrowIfNull(queryText);
        if (!_llms.TryGetValue(model, out var llm) || llm.InputPricePerMillion is not { } input || llm.OutputPricePerMillion is not { } output)
        {
            return null;
        }
        var answerTokens = _typicalAnswerTokens.TryGetValue(model, out var typical) ? typical : _defaultAnswerTokens;
        return ((TokenEstimate.Count(queryText) * input) + (answerTokens * output)) / 1_000_000.0;
    }
}
