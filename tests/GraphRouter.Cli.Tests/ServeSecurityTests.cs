using System.Net;
using System.Text;

namespace GraphRouter.Cli.Tests;

/// <summary>
/// graphrouter serve's keys as an operator meets them, on fresh SQLite stores: the admin key printed once on the first
/// start (and nowhere on disk), the rate-limit flags, and the explicit insecure opt-out.
/// </summary>
public sealed class ServeSecurityTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphrouter-serve-keys-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_first_start_prints_an_admin_key_once_that_works_and_is_stored_only_as_a_hash()
    {
        var store = "sqlite:" + Path.Combine(_folder, "first.db");
        string key;
        await using (var first = await ServeProcess.StartAsync(store, createKey: false))
        {
            key = await first.UsePrintedKeyAsync();
            var data = await first.DataAsync("{ trainingRuns { id } policies { version } }");
            var (status, body) = await first.CallAsync(null, "{ __typename }");

            Assert.Equal(JsonValueKindArray, data.GetProperty("policies").ValueKind.ToString());
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("UNAUTHENTICATED", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
            Assert.Single(ServeProcess.PrintedKeys(first.Errors));
        }

        await using (var second = await ServeProcess.StartAsync(store, createKey: false))
        {
            var (status, _) = await second.CallAsync(key, "{ policies { version } }");
            Assert.Equal(HttpStatusCode.OK, status);
        }

        var listed = await Graphrouter.RunInProcessAsync("keys", "list", "--store", store);
        Assert.Single(listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1));
        Assert.Contains(" admin ", listed.Output, StringComparison.Ordinal);
        foreach (var file in Directory.GetFiles(_folder))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.False(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(key)) >= 0, $"{file} holds the key in plain text");
        }
    }

    [Fact]
    public async Task A_key_over_the_configured_limit_gets_429_with_retry_after()
    {
        var store = "sqlite:" + Path.Combine(_folder, "limited.db");
        await using var server = await ServeProcess.StartAsync(store, true, "--rate-limit-per-key", "2", "--rate-limit-period", "3600");

        var first = await server.CallAsync(server.AdminKey, "{ __typename }");
        var second = await server.CallAsync(server.AdminKey, "{ __typename }");
        using var client = new HttpClient { BaseAddress = server.Address };
        client.DefaultRequestHeaders.Add("X-Api-Key", server.AdminKey);
        using var third = await client.PostAsync("graphql", new StringContent("""{"query":"{ __typename }"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Contains("RATE_LIMITED", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.InRange(third.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 3600);
    }

    [Fact]
    public async Task Insecure_no_auth_is_explicit_and_warns()
    {
        var store = "sqlite:" + Path.Combine(_folder, "open.db");
        await using var server = await ServeProcess.StartAsync(store, false, "--insecure-no-auth");

        var (status, _) = await server.CallAsync(null, "{ policies { version } }");
        // Every request is the default tenant's, which holds the bundled routerbench users imported on the first start.
        var (userStatus, user) = await server.CallAsync(null, "{ user(id: \"u0001\") { interactions } }");
        // stderr is read asynchronously; the warning was written before the serving line, so it arrives (a guard, not a timing assertion).
        for (var i = 0; i < 300 && !server.Errors.Contains("WARNING", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, userStatus);
        Assert.True(user.GetProperty("data").GetProperty("user").GetProperty("interactions").GetInt32() > 0, user.ToString());
        Assert.Contains("WARNING: --insecure-no-auth", server.Errors, StringComparison.Ordinal);
        Assert.Empty(ServeProcess.PrintedKeys(server.Errors));
    }

    private const string JsonValueKindArray = "Array";
}
