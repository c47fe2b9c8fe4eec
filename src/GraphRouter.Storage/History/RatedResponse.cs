namespace GraphRouter.Storage.History;

/// <summary>One turn of an interaction: the LLM, the user's rating of its response, and the response's text and cost where stored.</summary>
public sealed record RatedResponse
{
    public required string Llm { get; init; }
    public required double Rating { get; init; }
    public string? Text { get; init; }
    public double? CostUsd { get; init; }
}
