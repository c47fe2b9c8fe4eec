namespace GraphRouter.Cli.Tests;

/// <summary>A SQLite file in the fixture's temp folder.</summary>
public sealed class SqliteStoreUnderTest : StoreUnderTest
{
    protected override Task<string> CreateAsync(string folder) => Task.FromResult("sqlite:" + Path.Combine(folder, "graph.db"));
}
