namespace GraphRouter.Storage.Tests;

public sealed class StoreLocationTests
{
    [Fact]
    public void Sqlite_locations_are_full_paths()
    {
        var location = StoreLocation.Parse("sqlite:relative/graph.db");

        Assert.Equal(StoreKind.Sqlite, location.Kind);
        Assert.Equal(Path.GetFullPath("relative/graph.db"), location.Target);
        Assert.Equal("sqlite:" + Path.GetFullPath("relative/graph.db"), location.ToString());
    }

    [Fact]
    public void Postgres_locations_keep_the_connection_string_and_hide_the_password()
    {
        var location = StoreLocation.Parse("postgres:Host=db;Database=graph;Username=app;Password=secret");

        Assert.Equal(StoreKind.Postgres, location.Kind);
        Assert.Equal("Host=db;Database=graph;Username=app;Password=secret", location.Target);
        Assert.DoesNotContain("secret", location.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("postgres:", location.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("graph.db", "not understood")]
    [InlineData("mysql:Server=x", "not understood")]
    [InlineData("sqlite:", "nothing after")]
    [InlineData("postgres:", "nothing after")]
    [InlineData("postgres:Hots=db;Nonsense=1", "connection string is not valid")]
    public void Bad_store_strings_say_what_is_accepted(string text, string problem)
    {
        var error = Assert.Throws<FormatException>(() => StoreLocation.Parse(text));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_store_is_a_sqlite_file_in_the_local_data_folder()
    {
        var location = StoreLocation.Default();

        var folder = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        Assert.Equal(StoreKind.Sqlite, location.Kind);
        Assert.Equal(Path.Combine(folder, "graphrouter", "graphrouter.db"), location.Target);
    }

    [Fact]
    public async Task An_unreachable_postgres_server_is_reported_as_unavailable()
    {
        var location = StoreLocation.Parse("postgres:Host=127.0.0.1;Port=1;Username=nobody;Timeout=2");

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => GraphStoreFactory.OpenAsync(location));

        Assert.Contains("cannot reach", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unwritable_sqlite_path_is_reported_as_unavailable()
    {
        var file = Path.GetTempFileName();
        try
        {
            var location = StoreLocation.Sqlite(Path.Combine(file, "under-a-file", "graph.db"));

            await Assert.ThrowsAsync<StoreUnavailableException>(() => GraphStoreFactory.OpenAsync(location));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
