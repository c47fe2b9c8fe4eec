using System.Text.Json;

namespace GraphRouter.Serving.Runtime;

/// <summary>
/// A policy's <c>parity.json</c>: a few real histories and prompts with the user tokens and scores TorchSharp
/// computed for them at export time. <see cref="PolicyRuntime.Load"/> replays it through ONNX Runtime and
/// refuses the policy when any value differs by more than <see cref="Tolerance"/>, so a policy whose graphs
/// do not compute what was trained never becomes active.
/// </summary>
public sealed record ParitySample
{
    public const string FileName = "parity.json";

    public required double Tolerance { get; init; }
    public required IReadOnlyList<ParityUser> Users { get; init; }
    public required IReadOnlyList<ParityQuery> Queries { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, PolicyRuntimeSpec.Json);

    public static ParitySample FromJson(string json) =>
        JsonSerializer.Deserialize<ParitySample>(json, PolicyRuntimeSpec.Json) ?? throw new JsonException("parity sample JSON is null");
}

/// <summary>One history (chronological, possibly empty) and TorchSharp's user token for it.</summary>
public sealed record ParityUser
{
    public required string Label { get; init; }
    public required IReadOnlyList<ParityInteraction> Interactions { get; init; }
    public required IReadOnlyList<float> Embedding { get; init; }
}

/// <summary>One interaction: the prompt's text and the rated responses (only an answer's length is featurized, so its text is not kept).</summary>
public sealed record ParityInteraction
{
    public required string Query { get; init; }
    public required IReadOnlyList<ParityResponse> Responses { get; init; }
}

public sealed record ParityResponse
{
    public required string Llm { get; init; }
    public required double Rating { get; init; }
    public int? Characters { get; init; }
    public double? CostUsd { get; init; }
}

/// <summary>A prompt and TorchSharp's scores of every catalog model for it, one row per <see cref="ParitySample.Users"/> entry.</summary>
public sealed record ParityQuery
{
    public required string Text { get; init; }
    public required IReadOnlyList<IReadOnlyList<double>> Scores { get; init; }
}
