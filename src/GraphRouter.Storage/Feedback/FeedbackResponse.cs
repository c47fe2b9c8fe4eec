namespace GraphRouter.Storage.Feedback;

/// <summary>
/// One rated response of a feedback. The text and cost are stored only when no response of this LLM to
/// this query exists yet; a stored response is immutable and shared by everyone who saw it.
/// </summary>
public sealed record FeedbackResponse
{
    /// <summary>A registered model's name.</summary>
    public required string Llm { get; init; }

    public required double Rating { get; init; }

    public string? Text { get; init; }

    public double? CostUsd { get; init; }
}
