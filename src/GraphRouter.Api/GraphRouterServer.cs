using Microsoft.AspNetCore.Builder;
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
    /// <see cref="Serving.IRouterService"/> the resolvers and /readyz use. Start it with <c>RunAsync</c> or <c>StartAsync</c>.
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

        builder.Services.AddGraphRouterApi(options.Limits);
        registerServices(builder.Services);

        var app = builder.Build();
        app.MapGraphRouterApi(options.GraphiQL);
        return app;
    }
}
