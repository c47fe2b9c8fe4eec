namespace GraphRouter.Core.Domain;

/// <summary>The rating a user gave one LLM's response, on the dataset's declared scale.</summary>
public readonly record struct RatedLlm(string Llm, double Rating);
