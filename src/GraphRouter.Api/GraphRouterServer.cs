using System.Diagnostics;
using System.Globalization;
using GraphRouter.Api.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GraphRouter.Api;

/// <summary>The service's web host: what <c>graphrouter serve</c> and the end-to-end tests start.</summary>
public static class GraphRouterServer
{
    /// <summary>
    /// Builds (does not start) the host: Kestrel on <see cref="GraphRouterServerOptions.Urls"/>, the API's
    /// endpoints, and whatever <paramref name="registerServices"/> adds: that is where the caller registers the
    /// <see cref="Serving.IRouterService"/> the resolvers and /readyz use, and (unless
    /// <see cref="Security.ApiSecurityOptions.RequireKeys"/> is false) the <see cref="Storage.IGraphStore"/> the API keys are read from.
    /// Start it with <c>RunAsync</c> or <c>StartAsync</c>.
    /// </summary>
    public static WebApplication Build(GraphRouterServerOptions options, Action<IServiceCollection> registerServices)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registerServices);
        if (options.Urls.Count == 0)
        {
            throw new ArgumentException("GraphRouterServerOptions.Urls names no address to listen on.", nameof(options));
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(GraphRouterServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });

        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Limits.MaxRequestBodyBytes;
        });

        builder.Logging.ClearProviders();
        if (options.ConsoleLogging)
        {
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff ";
                console.UseUtcTimestamp = true;
            });
        }

        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        // Per-request hosting and routing logs cost time on the hot path and say nothing a load balancer does not.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        builder.Services.AddGraphRouterApi(options.Limits, options.Security);
        if (options.Otlp is { } otlp)
        {
            if (otlp.Problems() is { Count: > 0 } problems)
            {
                throw new ArgumentException(string.Join("; ", problems), nameof(options));
            }

            builder.Services.AddOtlpExport(otlp);
        }

        registerServices(builder.Services);
        if (options.Security.RequireKeys && !builder.Services.Any(service => service.ServiceType == typeof(Storage.IGraphStore)))
        {
            throw new InvalidOperationException(
                "API keys are required but no IGraphStore is registered to read them from; register the store, or turn keys off explicitly (ApiSecurityOptions.RequireKeys = false).");
        }

        var app = builder.Build();
        app.Use(ServerTiming);
        app.MapGraphRouterApi(options.GraphiQL);
        return app;
    }

    /// <summary>
    /// <c>Server-Timing: app;dur=MS</c> on every response: the time from the request reaching the pipeline to its
    /// response headers being sent (for /graphql, after execution, as serialization starts), so load generators can
    /// report latency inside the server apart from the network and client.
    /// </summary>
    private static Task ServerTiming(HttpContext context, RequestDelegate next)
    {
        var start = Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            context.Response.Headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture, $"app;dur={elapsed:0.###}");
            return Task.CompletedTask;
        });
        return next(context);
    }
}
