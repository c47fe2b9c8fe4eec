using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace GraphRouter.Api.Observability;

/// <summary><c>/metrics</c>: the API's instruments in the Prometheus text format, for a Prometheus server to scrape.</summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static Task ScrapeAsync(HttpContext context)
    {
        var text = context.RequestServices.GetRequiredService<PrometheusExposition>().Scrape();
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = PrometheusExposition.ContentType;
        response.Headers.CacheControl = "no-store";
        return response.WriteAsync(text, context.RequestAborted);
    }
}
