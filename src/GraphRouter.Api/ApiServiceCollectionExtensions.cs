using GraphRouter.Api.GraphiQL;
using GraphRouter.Api.Http;
using GraphRouter.Api.Observability;
using GraphRouter.Api.Schema;
using GraphRouter.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GraphRouter.Api;

/// <summary>Registers the API's parts; the <see cref="Serving.IRouterService"/> behind it is the host's to register.</summary>
public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// Adds the schema (built and checked here, once), the /graphql endpoint, the GraphiQL assets and the telemetry
    /// (<see cref="RouterTelemetry"/> and its <see cref="PrometheusExposition"/> for /metrics) as singletons.
    /// Throws <see cref="ArgumentException"/> listing every out-of-range limit.
    /// </summary>
    public static IServiceCollection AddGraphRouterApi(this IServiceCollection services, GraphQLLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        limits ??= new GraphQLLimits();
        var problems = limits.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(limits));
        }

        services.AddSingleton(limits);
        services.AddSingleton(RouterSchema.Create());
        services.AddSingleton<GraphQLHttpEndpoint>();
        services.AddSingleton(_ => GraphiQLAssets.Load());
        services.AddSingleton(provider => new RouterTelemetry(provider.GetService<IRouterService>, provider.GetRequiredService<ILogger<RouterTelemetry>>()));
        services.AddSingleton(provider => new PrometheusExposition(provider.GetRequiredService<RouterTelemetry>().Meter));
        return services;
    }
}
