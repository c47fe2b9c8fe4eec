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

    /// <summary>How tokens are counted (<see cref="TokenEstimate"/>'s rule), recorded so a reader can tell.</summary>
    public required string TokenRule { get; init; }
    public required IReadOnlyList<ModelCostParameters> Models { get; init; }

    public double? ExpectedCostUsd(string model, string queryText)
    {
        ArgumentNullException.ThrowIfNull(queryText);
        var parameters = Find(model);
        return parameters?.ExpectedCostUsd(TokenEstimate.Count(queryText));
    }

    public ModelCostParameters? Find(string model) =>
        Models.FirstOrDefault(m => string.Equals(m.Model, model, StringComparison.Ordinal));

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static FittedCostModel FromJson(string json) =>
        JsonSerializer.Deserialize<FittedCostModel>(json, Json) ?? throw new JsonException("cost model JSON is null");
}
