namespace GraphRouter.Routing.Decisions;

/// <summary>The stable codes a <see cref="RoutingException"/> carries; the GraphQL layer copies them to <c>extensions.code</c>.</summary>
public static class RoutingErrorCode
{
    /// <summary>The request itself is wrong: empty query, unknown model, negative or NaN cost weight or limit.</summary>
    public const string BadUserInput = "BAD_USER_INPUT";

    /// <summary>The request is well formed but no model is left to route to (all unavailable or over the cost limit).</summary>
    public const string NoCandidates = "NO_CANDIDATES";
}
