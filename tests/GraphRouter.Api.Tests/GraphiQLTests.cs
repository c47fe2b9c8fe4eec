using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using GraphRouter.Api.Tests.Support;

namespace GraphRouter.Api.Tests;

/// <summary>GraphiQL at /graphiql: the page and every file it loads come from this server; nothing from elsewhere.</summary>
[Collection(SharedApiHost.Name)]
public sealed partial class GraphiQLTests(ApiHost host)
{
    [GeneratedRegex("""(?:src|href)\s*=\s*"([^"]*)"|url\(([^)]*)\)""", RegexOptions.IgnoreCase)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("""https?://|["'(]//""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalPattern();

    [Fact]
    public async Task Page_is_html_with_a_same_origin_content_security_policy()
    {
        using var response = await host.Client.GetAsync(new Uri("/graphiql", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<div id=\"graphiql\">", html, StringComparison.Ordinal);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotMatch(ExternalPattern(), policy);
    }

    [Fact]
    public async Task Page_references_only_files_this_server_serves()
    {
        var html = await host.Client.GetStringAsync(new Uri("/graphiql", UriKind.Relative));
        var references = ReferencePattern().Matches(html).Select(match => match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value).ToList();

        Assert.DoesNotMatch(ExternalPattern(), html);
        Assert.Equal(
            ["/graphiql/graphiql.min.css", "/graphiql/react.production.min.js", "/graphiql/react-dom.production.min.js", "/graphiql/graphiql.min.js", "/graphiql/graphiql-start.js"],
            references);
        foreach (var reference in references)
        {
            using var asset = await host.Client.GetAsync(new Uri(reference, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.True((await asset.Content.ReadAsByteArrayAsync()).Length > 0, reference);
        }
    }

    [Theory]
    [InlineData("graphiql.min.js", "text/javascript", "GraphiQL", 500_000)]
    [InlineData("graphiql.min.css", "text/css", ".graphiql-container", 100_000)]
    [InlineData("react.production.min.js", "text/javascript", "react.production.min.js", 5_000)]
    [InlineData("react-dom.production.min.js", "text/javascript", "react-dom.production.min.js", 50_000)]
    [InlineData("graphiql-start.js", "text/javascript", "'/graphql'", 100)]
    public async Task Each_asset_has_its_content_type_and_is_the_real_file(string name, string mediaType, string marker, int minimumBytes)
    {
        using var response = await host.Client.GetAsync(new Uri("/graphiql/" + name, UriKind.Relative));
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(bytes.Length >= minimumBytes, $"{name} is {bytes.Length} bytes");
        Assert.Contains(marker, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_script_points_graphiql_at_this_servers_graphql_endpoint()
    {
        var script = await host.Client.GetStringAsync(new Uri("/graphiql/graphiql-start.js", UriKind.Relative));

        Assert.Contains("var endpoint = '/graphql';", script, StringComparison.Ordinal);
        Assert.DoesNotMatch(ExternalPattern(), script);
    }

    [Fact]
    public async Task Gzip_is_served_to_clients_that_accept_it_and_decompresses_to_the_same_bytes()
    {
        using var handler = new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None };
        using var client = new HttpClient(handler) { BaseAddress = host.BaseAddress };
        var identity = await client.GetByteArrayAsync(new Uri("/graphiql/graphiql.min.js", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphiql/graphiql.min.js");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        using var response = await client.SendAsync(request);
        var compressed = await response.Content.ReadAsByteArrayAsync();
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var decompressed = new MemoryStream();
        await gzip.CopyToAsync(decompressed);

        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.True(compressed.Length < identity.Length / 2);
        Assert.Equal(identity, decompressed.ToArray());
    }

    [Fact]
    public async Task Matching_entity_tag_is_304_not_modified()
    {
        using var first = await host.Client.GetAsync(new Uri("/graphiql/graphiql.min.css", UriKind.Relative));
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphiql/graphiql.min.css");
        request.Headers.IfNoneMatch.Add(etag);

        using var second = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/graphiql/nope.js")]
    [InlineData("/graphiql/index.html")]
    [InlineData("/graphiql/package.json")]
    public async Task Unknown_files_are_404(string path)
    {
        using var response = await host.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
