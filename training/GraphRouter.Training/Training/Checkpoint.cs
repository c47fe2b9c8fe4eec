using System.Text.Json;
using GraphRouter.Evaluation.Splits;
using GraphRouter.Training.Graph;

namespace GraphRouter.Training.Training;

/// <summary>
/// A trained model on disk: <c>model.bin</c> (TorchSharp state, keyed by module field names),
/// <c>config.json</c> (the training config, encoder choice included) and <c>features.json</c> (the query
/// encoder's name and size, the response statistics and the LLM catalog order).
/// </summary>
public static class Checkpoint
{
    public const string ModelFile = "model.bin";
    public const string ConfigFile = "config.json";
    public const string FeaturesFile = "features.json";

    public static bool Exists(string folder) =>
        File.Exists(Path.Combine(folder, ModelFile)) && File.Exists(Path.Combine(folder, ConfigFile)) && File.Exists(Path.Combine(folder, FeaturesFile));

    public static void Save(string folder, TrainedGraphRouter router)
    {
        Directory.CreateDirectory(folder);
        router.Model.save(Path.Combine(folder, ModelFile));
        TrainingConfigFile.Write(Path.Combine(folder, ConfigFile), router.Config);
        var features = new CheckpointFeatures
        {
            Encoder = router.Features.Encoder.Name,
            EncoderDimension = router.Features.Encoder.Dimension,
            Responses = router.Features.Statistics,
            Llms = router.Features.Llms.ToArray(),
        };
        File.WriteAllText(Path.Combine(folder, FeaturesFile), JsonSerializer.Serialize(features, TrainingConfigFile.Json) + "\n");
    }

    /// <summary>Loads a checkpoint for <paramref name="split"/>'s dataset; fails when its encoder or LLM catalog differ.</summary>
    public static TrainedGraphRouter Load(string folder, EvaluationSplit split)
    {
        var config = TrainingConfigFile.Read(Path.Combine(folder, ConfigFile));
        var saved = JsonSerializer.Deserialize<CheckpointFeatures>(File.ReadAllText(Path.Combine(folder, FeaturesFile)), TrainingConfigFile.Json)
            ?? throw new InvalidDataException($"{folder}: empty {FeaturesFile}");
        var router = GraphRouterTrainer.Create(split, config);
        var problems = new List<string>();
        if (router.Features.Encoder.Name != saved.Encoder || router.Features.Encoder.Dimension != saved.EncoderDimension)
        {
            problems.Add($"encoder {saved.Encoder}/{saved.EncoderDimension} != {router.Features.Encoder.Name}/{router.Features.Encoder.Dimension}");
        }
        if (!router.Features.Llms.SequenceEqual(saved.Llms))
        {
            problems.Add($"LLM catalog [{string.Join(", ", saved.Llms)}] != dataset's [{string.Join(", ", router.Features.Llms)}]");
        }
        if (problems.Count > 0)
        {
            router.Dispose();
            throw new InvalidDataException($"{folder}: checkpoint does not fit this data: {string.Join("; ", problems)}");
        }
        router.Model.load(Path.Combine(folder, ModelFile));
        router.Model.eval();
        var features = new NodeFeaturizer(split.Data, router.Features.Encoder, saved.Responses, router.Features.OutOfFold);
        return new TrainedGraphRouter(router.Model, features, config);
    }
}
