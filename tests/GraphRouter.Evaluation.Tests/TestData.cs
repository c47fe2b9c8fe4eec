using GraphRouter.Core.Datasets;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.Tests;

/// <summary>The bundled datasets, read once per test run, and small real slices of them.</summary>
internal static class TestData
{
    private static readonly Lazy<PreferenceDataset> LazyRouterBench = new(() => RouterBenchReader.Load(BundledData.RouterBench));
    private static readonly Lazy<QualityTable> LazyQualityTable = new(() => QualityTableReader.Load(BundledData.LlmRouterDc));
    private static readonly Lazy<EvaluationSplit> LazySplit = new(() => EvaluationSplit.Create(RouterBench, new SplitConfig()));

    public static PreferenceDataset RouterBench => LazyRouterBench.Value;

    public static QualityTable QualityTable => LazyQualityTable.Value;

    /// <summary>The full routerbench split with the default config.</summary>
    public static EvaluationSplit Split => LazySplit.Value;

    /// <summary>The first <paramref name="users"/> users of routerbench (all their interactions), with every prompt and outcome.</summary>
    public static PreferenceDataset Slice(int users)
    {
        var data = RouterBench;
        var keep = data.ByUser().Take(users).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return new PreferenceDataset(data.Name, data.Version, data.Scale, data.Llms, data.Tasks, data.Queries, data.Outcomes,
            data.Interactions.Where(i => keep.Contains(i.User)).ToList());
    }

    /// <summary>A small quality table: the first rows of each part.</summary>
    public static QualityTable SmallQualityTable(int train, int test) =>
        new(QualityTable.Catalog, QualityTable.Train.Take(train).ToList(), QualityTable.Test.Take(test).ToList());
}
