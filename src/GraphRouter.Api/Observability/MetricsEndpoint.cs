using GraphRouter.Api.Security;
using GraphRouter.Storage.ApiKeys;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace GraphRouter.Api.Observability;

/// <summary>
/// <c>/metrics</c>: the API's instruments in the Prometheus text format, for a Prometheus server to scrape. It needs an
/// admin key (Prometheus sends one with <c>authorization: { credentials: KEY }</c>) unless
/// <see cref="ApiSecurityOptions.MetricsRequireKey"/> is false; refusals are plain text, like the page itself.
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static async Task ScrapeAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        if (services.GetRequiredService<ApiSecurityOptions>().MetricsRequireKey)
        {
            var (caller, denial) = await services.GetRequiredService<ApiGate>().AdmitAsync(context);
            if (denial is null && caller!.Role < ApiKeyRole.Admin)
            {
                denial = ApiGate.Forbidden(caller, Path);
            }
            if (denial is { } refused)
            {
                response.StatusCode = refused.Status;
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync($"{refused.Code}: {refused.Message}\n", context.RequestAborted);
                return;
            }
        }

        await services.GetRequiredService<RouterTelemetry>().RefreshTrainingRunsAsync(context.RequestAborted);
        var text = services.GetRequiredService<PrometheusExposition>().Scrape();
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = PrometheusExposition.ContentType;
        await response.WriteAsync(text, context.RequestAborted);
    }
}
