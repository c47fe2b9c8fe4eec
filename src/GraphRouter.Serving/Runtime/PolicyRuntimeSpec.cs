using System.Text.Json;
using GraphRouter.Core.Domain;
using GraphRouter.Core.Featurization;

namespace GraphRouter.Serving.Runtime;

/// <summary>
/// A policy's <c>runtime.json</c>: what <see cref="PolicyRuntime"/> needs besides the graphs and the encoder to
/// featurize exactly as training did (catalog order, rating scale, response statistics, prior count, history
/// window), the sizes the graphs were written for, and the cold-start user token computed by TorchSharp.
/// </summary>
public sealed record PolicyRuntimeSpec
{
    public const string FileName = "runtime.json";

    /// <summary>The only format this runtime reads.</summary>
    public const int CurrentFormat = 1;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public required int Format { get; init; }
    /// <summary>The LLM catalog in the model's index order (the manifest's models, the same order).</summary>
    public required IReadOnlyList<string> Models { get; init; }
    public required RatingScale RatingScale { get; init; }
    public required ResponseStatistics ResponseStatistics { get; init; }
    /// <summary>Pseudo-interactions of the pooled statistic (must equal <see cref="PreferenceFeatures.PriorCount"/>).</summary>
    public required double PriorCount { get; init; }
    /// <summary>At most this many latest interactions inform a user's embedding.</summary>
    public required int HistoryWindow { get; init; }
    /// <summary>The query encoder's name (its parameters are <see cref="PolicyGraphs.QueryEncoderFile"/>).</summary>
    public required string QueryEncoder { get; init; }
    public required int QueryDimension { get; init; }
    public required int KindCount { get; init; }
    /// <summary>Size of φ(llm, q).</summary>
    public required int CandidateDimension { get; init; }
    /// <summary>Size of a Response row.</summary>
    public required int ResponseDimension { get; init; }
    /// <summary>Size of the user token.</summary>
    public required int EmbeddingDimension { get; init; }
    /// <summary>The user token of a history with no interaction (the User prior through the layers), from TorchSharp.</summary>
    public required IReadOnlyList<float> ColdStartEmbedding { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static PolicyRuntimeSpec FromJson(string json) =>
        JsonSerializer.Deserialize<PolicyRuntimeSpec>(json, Json) ?? throw new JsonException("runtime spec JSON is null");
}
