using GraphRouter.Storage.ApiKeys;

namespace GraphRouter.Api.Security;

/// <summary>
/// Who made a request: the API key it presented (by id and name, never its text), that key's role, and the tenant the
/// key belongs to. The tenant scopes every user the request addresses (route, submitFeedback, user); it comes from the
/// key alone, never from the request.
/// </summary>
public sealed record ApiCaller(string KeyId, string KeyName, ApiKeyRole Role, string Tenant);
