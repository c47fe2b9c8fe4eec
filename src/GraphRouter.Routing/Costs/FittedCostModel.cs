using System.Text.Json;

namespace GraphRouter.Routing.Costs;

/// <summary>
/// Per-model expected cost fitted on observed per-response costs (routerbench's <c>costUsd</c>), where no
/// prices are registered. Serializable: it travels inside a policy artifact as <c>cost-model.json</c>.
/// </summary>
public sealed record FittedCostModel : IExpectedCostEstimator
{
    public const string FileName = "cost-model.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>How prompt tokens are counted; always <see cref="TokenEstimate"/>'s rule today, recorded so a reader can tell.</summary>
    public required string TokenRule { get; init; }
    public required IReadOnlyList<ModelCostParameters> Models { get; init; }

    public double? ExpectedCostUsd(string model, string queryText)
    {
        ArgumentNullException.ThrowIfNull(queryText);
        var parameters = Models.FirstOrDefault(m => string.Equals(m.Model, model, StringComparison.Ordinal));
        if (parameters is null)
        {
            return null;
        }
        return Math.Max(0, parameters.InterceptUsd + (parameters.UsdPerPromptToken * TokenEstimate.Count(queryText)));
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static FittedCostModel FromJson(string json) =>
        JsonSerializer.Deserialize<FittedCostModel>(json, Json) ?? throw new JsonException("cost model JSON is null");
}
