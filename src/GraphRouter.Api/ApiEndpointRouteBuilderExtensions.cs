using GraphRouter.Api.GraphiQL;
using GraphRouter.Api.Health;
using GraphRouter.Api.Http;
using GraphRouter.Api.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GraphRouter.Api;

/// <summary>Maps the API's endpoints: <c>/graphql</c>, <c>/graphiql</c>, <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>.</summary>
public static class ApiEndpointRouteBuilderExtensions
{
    public const string GraphQLPath = "/graphql";

    /// <summary>Maps every endpoint; <paramref name="graphiQL"/> false leaves the GraphiQL page out.</summary>
    public static IEndpointRouteBuilder MapGraphRouterApi(this IEndpointRouteBuilder endpoints, bool graphiQL = true)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var graphQL = endpoints.ServiceProvider.GetRequiredService<GraphQLHttpEndpoint>();

        // Every method reaches the handler, which answers 405 with an Allow header itself.
        endpoints.Map(GraphQLPath, graphQL.HandleAsync);
        endpoints.MapGet(HealthEndpoints.LivePath, HealthEndpoints.LiveAsync);
        endpoints.MapGet(HealthEndpoints.ReadyPath, HealthEndpoints.ReadyAsync);
        // Resolve now, so the listener collects from the first request on, not from the first scrape.
        _ = endpoints.ServiceProvider.GetRequiredService<PrometheusExposition>();
        endpoints.MapGet(MetricsEndpoint.Path, MetricsEndpoint.ScrapeAsync);

        if (graphiQL)
        {
            // Load now, so a build without the GraphiQL assets fails at start-up, not on the first visit.
            _ = endpoints.ServiceProvider.GetRequiredService<GraphiQLAssets>();
            endpoints.MapMethods(GraphiQLAssets.PagePath, ["GET", "HEAD"], GraphiQLEndpoints.PageAsync);
            endpoints.MapMethods(GraphiQLAssets.PagePath + "/{file}", ["GET", "HEAD"], GraphiQLEndpoints.FileAsync);
        }

        return endpoints;
    }
}
