using GraphRouter.Core.Datasets;

namespace GraphRouter.Routing.Tests;

/// <summary>The bundled routerbench dataset, read once per test class that needs it.</summary>
public sealed class RouterBenchFixture
{
    public PreferenceDataset Data { get; } = RouterBenchReader.Load(BundledData.RouterBench);

    public string QueryText(string queryId) => Data.Query(queryId).Text;
}
