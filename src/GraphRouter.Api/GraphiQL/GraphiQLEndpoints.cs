using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace GraphRouter.Api.GraphiQL;

/// <summary>
/// Serves GraphiQL at <c>/graphiql</c> and its files at <c>/graphiql/{file}</c>, with entity tags for revalidation,
/// gzip for clients that take it, and a Content-Security-Policy that lets the page load nothing but this server's files.
/// </summary>
internal static class GraphiQLEndpoints
{
    /// <summary>Scripts and styles only from this origin (GraphiQL sets inline styles, and its CSS inlines fonts and icons as data URLs); requests only to this origin.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static Task PageAsync(HttpContext context)
    {
        var assets = context.RequestServices.GetRequiredService<GraphiQLAssets>();
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        return ServeAsync(context, assets.Page);
    }

    public static Task FileAsync(HttpContext context)
    {
        var assets = context.RequestServices.GetRequiredService<GraphiQLAssets>();
        var name = context.Request.RouteValues["file"] as string;
        if (name is null || !assets.TryGet(name, out var asset) || asset == assets.Page)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return ServeAsync(context, asset);
    }

    private static async Task ServeAsync(HttpContext context, GraphiQLAsset asset)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers.ETag = asset.ETag;
        response.Headers.CacheControl = "no-cache";
        response.Headers.Vary = "Accept-Encoding";
        response.Headers.XContentTypeOptions = "nosniff";
        if (request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        var body = asset.Content;
        if (AcceptsGzip(request))
        {
            body = asset.Gzip;
            response.Headers.ContentEncoding = "gzip";
        }

        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptEncoding, out var codings)
        && codings.Any(coding => coding.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && (coding.Quality ?? 1) > 0);
}
