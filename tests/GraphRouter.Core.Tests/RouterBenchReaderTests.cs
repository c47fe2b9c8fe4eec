using GraphRouter.Core.Datasets;

namespace GraphRouter.Core.Tests;

public sealed class RouterBenchReaderTests
{
    [Fact]
    public void Bundled_routerbench_has_the_published_counts()
    {
        var data = RouterBenchReader.Load(BundledData.RouterBench);

        Assert.Equal(11, data.Llms.Count);
        Assert.Equal(2205, data.Queries.Count);
        Assert.Equal(25_622, data.Interactions.Count);
        Assert.Equal(56_284, data.RatedResponseCount);
        Assert.Equal(600, data.ByUser().Count());
        Assert.Equal(29_879, data.Interactions.Sum(i => i.Pairs().Count()));
    }

    [Fact]
    public void Bundled_quality_table_has_its_catalog_and_scores()
    {
        var table = QualityTableReader.Load(BundledData.LlmRouterDc);

        Assert.Equal(14, table.Catalog.Count);
        Assert.Equal(9, table.ScoredLlms.Count);
        Assert.Equal(5608, table.Train.Count);
        Assert.Equal(500, table.Test.Count);
        Assert.All(table.Train, r => Assert.All(r.Scores.Values, s => Assert.InRange(s, 0, 1)));
    }
}
