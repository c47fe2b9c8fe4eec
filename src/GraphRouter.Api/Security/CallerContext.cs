namespace GraphRouter.Api.Security;

/// <summary>
/// The GraphQL execution's user context: the authenticated <see cref="ApiCaller"/>, set by the endpoint after the key
/// was checked and before anything runs, so that resolvers act for the caller's tenant.
/// </summary>
internal sealed class CallerContext : Dictionary<string, object?>
{
    public CallerContext(ApiCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        Caller = caller;
    }

    public ApiCaller Caller { get; }
}
