using System.Globalization;
using GraphQL;
using GraphRouter.Api.Observability;
using GraphRouter.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace GraphRouter.Api.Schema;

/// <summary>How a resolver reaches the router service (registered by whoever builds the host) and the API's telemetry: from the request's services.</summary>
internal static class RouterServiceAccess
{
    public static IRouterService Router(this IResolveFieldContext context) =>
        (context.RequestServices ?? throw new InvalidOperationException("The GraphQL request has no service provider."))
        .GetRequiredService<IRouterService>();

    /// <summary>The host's telemetry, which the route and feedback resolvers call through (latency, counters, traces, the decision log).</summary>
    public static RouterTelemetry Telemetry(this IResolveFieldContext context) =>
        (context.RequestServices ?? throw new InvalidOperationException("The GraphQL request has no service provider."))
        .GetRequiredService<RouterTelemetry>();

    /// <summary>
    /// The tenant the request acts for: the authenticated key's (the default tenant under <c>--insecure-no-auth</c>).
    /// Never taken from the request's arguments, so no request can address another tenant's users.
    /// </summary>
    public static string Tenant(this IResolveFieldContext context) =>
        context.UserContext is Security.CallerContext caller
            ? caller.Caller.Tenant
            : throw new InvalidOperationException("The GraphQL request carries no authenticated caller.");

    /// <summary>An <c>ID</c> argument as the string the service expects (GraphQL also accepts an integer literal for an ID).</summary>
    public static string IdArgument(this IResolveFieldContext context, string name) =>
        Convert.ToString(context.GetArgument<object>(name), CultureInfo.InvariantCulture)
        ?? throw new InvalidOperationException($"Argument '{name}' is non-null but no value was coerced.");
}
