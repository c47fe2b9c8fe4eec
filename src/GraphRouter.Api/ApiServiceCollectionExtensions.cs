using GraphRouter.Api.GraphiQL;
using GraphRouter.Api.Http;
using GraphRouter.Api.Observability;
using GraphRouter.Api.Schema;
using GraphRouter.Api.Security;
using GraphRouter.Serving;
using GraphRouter.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GraphRouter.Api;

/// <summary>Registers the API's parts; the <see cref="Serving.IRouterService"/> behind it is the host's to register.</summary>
public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// Adds the schema (built and checked here, once), the /graphql endpoint, the GraphiQL assets and the telemetry
    /// (<see cref="RouterTelemetry"/> and its <see cref="PrometheusExposition"/> for /metrics) as singletons.
    /// With <paramref name="security"/> requiring keys (the default), the API keys are read from the
    /// <see cref="IGraphStore"/> the host registers. Throws <see cref="ArgumentException"/> listing every out-of-range limit or setting.
    /// </summary>
    public static IServiceCollection AddGraphRouterApi(this IServiceCollection services, GraphQLLimits? limits = null, ApiSecurityOptions? security = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        limits ??= new GraphQLLimits();
        security ??= new ApiSecurityOptions();
        var problems = limits.Problems().Concat(security.Problems()).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(limits));
        }

        services.AddSingleton(limits);
        services.AddSingleton(security);
        services.AddSingleton(_ => new ApiRateLimiter(security));
        services.AddSingleton(provider => new ApiKeyAuthenticator(
            provider.GetRequiredService<IGraphStore>(), security, provider.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton(provider => new ApiGate(security, provider.GetRequiredService<ApiKeyAuthenticator>, provider.GetRequiredService<ApiRateLimiter>()));
        services.AddSingleton(RouterSchema.Create());
        services.AddSingleton<GraphQLHttpEndpoint>();
        services.AddSingleton(_ => GraphiQLAssets.Load());
        services.AddSingleton(provider => new RouterTelemetry(provider.GetService<IRouterService>, provider.GetRequiredService<ILogger<RouterTelemetry>>()));
        services.AddSingleton(provider => new PrometheusExposition(provider.GetRequiredService<RouterTelemetry>().Meter));
        return services;
    }
}
