using System.Text.Json;
using GraphRouter.Routing.Policies;
using GraphRouter.Training.Encoders;
using GraphRouter.Training.Export;
using GraphRouter.Training.Model;

namespace GraphRouter.Training.Training;

/// <summary>
/// Starting a training run from a policy's weights (<see cref="PolicyExporter.WeightsFile"/>) instead of from
/// scratch. The model and query-encoder shapes are the policy's (<see cref="Adopt"/>); the query encoder and the
/// response statistics are fitted again on the new data (their outputs mean the same: per-kind probabilities and
/// per-LLM predictions), so only the weights carry over. Every mismatch is an <see cref="InvalidDataException"/>
/// naming it, raised before anything is trained.
/// </summary>
public static class WarmStart
{
    /// <summary><paramref name="config"/> with the model and encoder options of the policy it starts from.</summary>
    public static TrainingConfig Adopt(TrainingConfig config, PolicyManifest policy)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(policy);
        try
        {
            var model = policy.Config.TryGetProperty("model", out var m) ? m.Deserialize<HgtOptions>(TrainingConfigFile.Json) : null;
            var encoder = policy.Config.TryGetProperty("encoder", out var e) ? e.Deserialize<QueryEncoderOptions>(TrainingConfigFile.Json) : null;
            if (model is null || encoder is null)
            {
                throw new InvalidDataException($"policy {policy.Version}: its manifest's config has no model or encoder options; warm start needs them");
            }
            return config with { Model = model, Encoder = encoder };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"policy {policy.Version}: its manifest's model or encoder options do not parse: {e.Message}", e);
        }
    }

    /// <summary>
    /// Loads the verified policy folder's weights into <paramref name="router"/>, which must have been created with
    /// <see cref="Adopt"/>'s config on data with the same LLM catalog and query encoder shape.
    /// </summary>
    public static void Load(TrainedGraphRouter router, string policyFolder, PolicyManifest policy)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(policyFolder);
        ArgumentNullException.ThrowIfNull(policy);
        if (!policy.Files.Any(f => f.Path == PolicyExporter.WeightsFile))
        {
            throw new InvalidDataException($"policy {policy.Version} has no {PolicyExporter.WeightsFile} (exported before policies kept their weights): it cannot be warm-started from; retrain from scratch");
        }
        var problems = new List<string>();
        if (policy.QueryEncoder != router.Features.Encoder.Name)
        {
            problems.Add($"its query encoder is {policy.QueryEncoder}, the new data's is {router.Features.Encoder.Name}");
        }
        if (!policy.Models.SequenceEqual(router.Features.Llms))
        {
            problems.Add($"its LLM catalog [{string.Join(", ", policy.Models)}] differs from the data's [{string.Join(", ", router.Features.Llms)}]");
        }
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"cannot warm-start from policy {policy.Version}: {string.Join("; ", problems)}; retrain from scratch");
        }
        try
        {
            router.Model.load(Path.Combine(policyFolder, PolicyExporter.WeightsFile));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            throw new InvalidDataException($"cannot warm-start from policy {policy.Version}: its {PolicyExporter.WeightsFile} does not fit the model: {e.Message}", e);
        }
    }
}
