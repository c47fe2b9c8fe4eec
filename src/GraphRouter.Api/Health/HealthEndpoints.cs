using System.Text.Json;
using GraphRouter.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GraphRouter.Api.Health;

/// <summary>
/// Liveness and readiness for orchestrators: <c>/healthz</c> answers whenever the process serves;
/// <c>/readyz</c> asks <see cref="IRouterService.CheckReadinessAsync"/> (a policy is loaded and the store answers).
/// </summary>
internal static class HealthEndpoints
{
    public const string LivePath = "/healthz";
    public const string ReadyPath = "/readyz";

    public static Task LiveAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync("ok", context.RequestAborted);
    }

    public static async Task ReadyAsync(HttpContext context)
    {
        Readiness readiness;
        var router = context.RequestServices.GetService<IRouterService>();
        if (router is null)
        {
            readiness = new Readiness { Ready = false, StoreAnswers = false, Reason = "No router service is registered in this host." };
        }
        else
        {
            try
            {
                readiness = await router.CheckReadinessAsync(context.RequestAborted);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HealthEndpoints))
                    .LogWarning(exception, "Readiness check failed");
                readiness = new Readiness { Ready = false, StoreAnswers = false, Reason = "The readiness check failed; see the server log." };
            }
        }

        var response = context.Response;
        response.StatusCode = readiness.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        await using var writer = new Utf8JsonWriter(response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteBoolean("ready", readiness.Ready);
        writer.WriteString("policyVersion", readiness.PolicyVersion);
        writer.WriteBoolean("storeAnswers", readiness.StoreAnswers);
        writer.WriteString("reason", readiness.Reason);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
