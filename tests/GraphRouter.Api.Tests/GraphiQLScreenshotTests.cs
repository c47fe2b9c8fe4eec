using System.Reflection;
using GraphRouter.Api.Tests.Support;

namespace GraphRouter.Api.Tests;

/// <summary>
/// GraphiQL as a person sees it: headless Chromium loads /graphiql from the running host, the API key is typed into
/// GraphiQL's headers pane and the schema re-fetched with it, GraphiQL introspects the schema, a <c>{ __typename }</c> query typed into its editor runs through the page's own fetcher, and the page
/// is captured as a PNG (in the test output; with GRAPHROUTER_UPDATE_SCREENSHOT=1 also as docs/graphiql.png).
/// The page loads nothing from outside this server: its Content-Security-Policy would refuse it, and any
/// refusal is asserted absent.
/// </summary>
[Collection(SharedApiHost.Name)]
public sealed class GraphiQLScreenshotTests(ApiHost host)
{
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(60);

    [ChromiumFact]
    public async Task Graphiql_renders_loads_the_schema_and_runs_a_query()
    {
        await using var browser = await Chromium.LaunchAsync(1400, 860, PageTimeout);

        await browser.NavigateAsync(new Uri(host.BaseAddress, "/graphiql"));
        await browser.WaitForAsync("!!document.querySelector('.graphiql-query-editor .CodeMirror')", PageTimeout, "the query editor");

        // /graphql needs a key: the page opens with its headers pane showing; type the key there and re-fetch the schema.
        const string headersEditor = "document.querySelector('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror')";
        await browser.WaitForAsync($"!!{headersEditor}", PageTimeout, "the headers editor");
        var headers = System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["Authorization"] = "Bearer " + host.AdminKey }));
        await browser.EvaluateAsync($"{headersEditor}.CodeMirror.setValue({headers})");

        // The Documentation Explorer lists the root types once GraphiQL's introspection query has succeeded.
        // GraphiQL takes the edited headers into its state after a debounce, so a re-fetch clicked too early (a
        // busy machine) still goes without the key: click again until the schema shows, within the page timeout.
        await browser.EvaluateAsync("document.querySelector('[aria-label=\"Show Documentation Explorer\"]').click()");
        const string schemaShown = "(document.querySelector('.graphiql-doc-explorer')?.innerText ?? '').includes('Mutation')";
        var giveUp = DateTime.UtcNow + PageTimeout;
        while (true)
        {
            await browser.EvaluateAsync("document.querySelector('[aria-label=\"Re-fetch GraphQL schema\"]').click()");
            try
            {
                await browser.WaitForAsync(schemaShown, TimeSpan.FromSeconds(3), "the schema in the Documentation Explorer");
                break;
            }
            catch (TimeoutException) when (DateTime.UtcNow < giveUp)
            {
            }
        }

        await browser.EvaluateAsync("document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('{ __typename }')");
        await browser.EvaluateAsync("document.querySelector('.graphiql-execute-button').click()");
        try
        {
            await browser.WaitForAsync(
                "(document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror.getValue() ?? '').includes('\"__typename\": \"Query\"')",
                PageTimeout, "the query's result");
        }
        catch (TimeoutException)
        {
            await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "graphiql-failed.png"), await browser.ScreenshotAsync());
            throw;
        }

        var response = (string?)await browser.EvaluateAsync("document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()");
        var png = await browser.ScreenshotAsync();
        var saved = Path.Combine(AppContext.BaseDirectory, "graphiql.png");
        await File.WriteAllBytesAsync(saved, png);
        if (Environment.GetEnvironmentVariable("GRAPHROUTER_UPDATE_SCREENSHOT") == "1")
        {
            var root = typeof(GraphiQLScreenshotTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "GraphRouterRoot").Value!;
            await File.WriteAllBytesAsync(Path.Combine(root, "docs", "graphiql.png"), png);
        }

        Assert.Contains("\"data\"", response, StringComparison.Ordinal);
        Assert.DoesNotContain("\"errors\"", response, StringComparison.Ordinal);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));
        Assert.True(png.Length > 20_000, $"the screenshot is only {png.Length} bytes: a blank page?");
        var problems = browser.Messages.Where(message =>
            message.StartsWith("Runtime.exceptionThrown", StringComparison.Ordinal)
            || message.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)
            || (message.Contains("\"level\":\"error\"", StringComparison.Ordinal) && !message.Contains("favicon.ico", StringComparison.Ordinal))).ToList();
        Assert.True(problems.Count == 0, "The page reported:\n" + string.Join("\n", problems));
    }
}
