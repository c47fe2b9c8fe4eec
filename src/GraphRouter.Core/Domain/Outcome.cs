namespace GraphRouter.Core.Domain;

/// <summary>One LLM's real answer to one prompt: the <c>Response</c> node, with its correctness and cost.</summary>
public sealed record Outcome
{
    public required string QueryId { get; init; }
    public required string Llm { get; init; }
    /// <summary>1 when the answer was correct, 0 when not (routerbench); a quality in [0, 1] elsewhere.</summary>
    public required double Score { get; init; }
    public required double CostUsd { get; init; }
    public required string Response { get; init; }
}
