using GraphRouter.Core.Datasets;
using GraphRouter.Evaluation.Splits;
using GraphRouter.Training.Encoders;
using GraphRouter.Training.Model;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Tests;

/// <summary>The bundled routerbench data and its split, loaded once; small model configs for fast tests.</summary>
public sealed class RouterBenchSlice
{
    public RouterBenchSlice()
    {
        Split = EvaluationSplit.Create(RouterBenchReader.Load(BundledData.RouterBench), new SplitConfig());
    }

    public EvaluationSplit Split { get; }

    public static TrainingConfig SmallConfig { get; } = new()
    {
        Seed = 3,
        Threads = 1,
        Encoder = new QueryEncoderOptions { Dimension = 256 },
        Model = new HgtOptions { Hidden = 16, Heads = 2, QueryBottleneck = 8, LlmDimension = 8, ScorerHidden = 16, ScorerHeads = 2 },
        UsersPerStep = 8,
        TargetPairsPerUser = 4,
        LearningRate = 0.01,
        Epochs = 2,
        StepsPerEpoch = 3,
    };
}
