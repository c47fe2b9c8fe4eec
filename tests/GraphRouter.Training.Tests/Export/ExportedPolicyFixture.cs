using GraphRouter.Core.Datasets;
using GraphRouter.Core.Domain;
using GraphRouter.Evaluation.Splits;
using GraphRouter.Serving.Runtime;
using GraphRouter.Storage.History;
using GraphRouter.Training.Export;
using GraphRouter.Training.Graph;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Tests.Export;

/// <summary>
/// A small model trained for a few steps on the bundled split, exported with <see cref="PolicyExporter"/> to a
/// temporary folder and loaded back with the serving runtime; beside it, the same TorchSharp model with the
/// featurization serving uses (every prompt through the fitted encoder, no out-of-fold vectors) as the
/// reference. The history window is small (8) so that real histories are clipped.
/// </summary>
public sealed class ExportedPolicyFixture : IDisposable
{
    public const string Version = "parity-test";

    public ExportedPolicyFixture()
    {
        Split = EvaluationSplit.Create(RouterBenchReader.Load(BundledData.RouterBench), new SplitConfig());
        Config = RouterBenchSlice.SmallConfig with { HistoryWindow = 8 };
        Trained = new GraphRouterTrainer(Config).Fit(Split);
        Parent = Path.Combine(Path.GetTempPath(), "graphrouter-export-tests", Guid.NewGuid().ToString("N"));
        var log = new StringWriter();
        Folder = PolicyExporter.Export(Trained, Split, Parent, Version, log);
        ExportLog = log.ToString();
        Runtime = PolicyRuntime.Load(Folder);
        Reference = new TrainedGraphRouter(Trained.Model, new NodeFeaturizer(Split.Data, Trained.Features.Encoder, Trained.Features.Statistics), Config);
    }

    public EvaluationSplit Split { get; }
    public TrainingConfig Config { get; }
    public TrainedGraphRouter Trained { get; }
    /// <summary>The trained model with serving's featurization; shares <see cref="Trained"/>'s module (not disposed separately).</summary>
    public TrainedGraphRouter Reference { get; }
    public string Parent { get; }
    public string Folder { get; }
    public string ExportLog { get; }
    public PolicyRuntime Runtime { get; }

    /// <summary>A chronological history as the store returns it: newest first, with the real answers' text and cost.</summary>
    public IReadOnlyList<HistoryEntry> AsStored(IReadOnlyList<Interaction> history) => GraphRouter.Training.Retraining.GateSet.AsStored(Split, history);

    public void Dispose()
    {
        Runtime.Dispose();
        Trained.Dispose();
        if (Directory.Exists(Parent))
        {
            Directory.Delete(Parent, recursive: true);
        }
    }
}
