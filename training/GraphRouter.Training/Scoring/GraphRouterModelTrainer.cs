using GraphRouter.Evaluation.Routers;
using GraphRouter.Evaluation.Splits;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Scoring;

/// <summary>
/// GraphRouter for the evaluation harness: trains with <paramref name="config"/> (its seed replaced by
/// the harness's), or, given a checkpoint folder that exists, loads it instead of training.
/// </summary>
public sealed class GraphRouterModelTrainer(TrainingConfig config, Action<EpochReport>? progress = null, string? checkpoint = null) : IPreferenceModelTrainer
{
    public string Name => "GraphRouter";

    public IPreferenceModel Fit(EvaluationSplit split, int seed)
    {
        var router = checkpoint is not null && Checkpoint.Exists(checkpoint)
            ? Checkpoint.Load(checkpoint, split)
            : new GraphRouterTrainer(config with { Seed = seed }, progress).Fit(split);
        return new GraphRouterPreferenceModel(router);
    }
}
