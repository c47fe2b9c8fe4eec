using GraphRouter.Core.Datasets;
using GraphRouter.Core.Domain;
using GraphRouter.Core.Featurization;

namespace GraphRouter.Core.Tests.Featurization;

/// <summary>The bundled routerbench data, its prompts cut 75/25 by a seeded hash, and one encoder fitted on the 75%.</summary>
public sealed class RouterBenchEncoderFixture
{
    public RouterBenchEncoderFixture()
    {
        Data = RouterBenchReader.Load(BundledData.RouterBench);
        TrainIds = Data.Queries.Where(q => !IsHeldOut(q.Id)).Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        HeldOut = Data.Queries.Where(q => IsHeldOut(q.Id)).ToList();
        Fit = FittedQueryEncoder.FitWithOutOfFoldVectors(Data, TrainIds);
    }

    public PreferenceDataset Data { get; }
    public IReadOnlySet<string> TrainIds { get; }
    public IReadOnlyList<QueryInfo> HeldOut { get; }
    public QueryEncoderFit Fit { get; }
    public FittedQueryEncoder Encoder => Fit.Encoder;

    public static bool IsHeldOut(string queryId) => FeatureHasher.Hash(queryId, 99) % 4 == 0;
}
