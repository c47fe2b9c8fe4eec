namespace GraphRouter.Storage.Registry;

/// <summary>A model of the registry (the <c>llms</c> table, also the graph's Llm nodes); prices in USD per million tokens.</summary>
public sealed record RegisteredModel
{
    public required string Name { get; init; }
    public required string Vendor { get; init; }
    public required string Description { get; init; }
    public double? InputPricePerMillion { get; init; }
    public double? OutputPricePerMillion { get; init; }

    /// <summary>Whether routing may choose it; unavailable models are skipped with a fallback.</summary>
    public required bool Available { get; init; }
}
