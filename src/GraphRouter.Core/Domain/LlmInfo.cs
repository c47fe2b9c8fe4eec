namespace GraphRouter.Core.Domain;

/// <summary>An LLM that can be routed to: the <c>Llm</c> node and its registry entry.</summary>
public sealed record LlmInfo
{
    public required string Name { get; init; }
    public string Vendor { get; init; } = "";
    public string Description { get; init; } = "";
    /// <summary>USD per one million input tokens, where the catalog declares prices.</summary>
    public double? InputPricePerMillion { get; init; }
    /// <summary>USD per one million output tokens, where the catalog declares prices.</summary>
    public double? OutputPricePerMillion { get; init; }
}
