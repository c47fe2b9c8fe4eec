using GraphRouter.Api.GraphiQL;
using GraphRouter.Api.Http;
using GraphRouter.Api.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace GraphRouter.Api;

/// <summary>Registers the API's parts; the <see cref="Serving.IRouterService"/> behind it is the host's to register.</summary>
public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// Adds the schema (built and checked here, once), the /graphql endpoint and the GraphiQL assets as singletons.
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
        return services;
    }
}
