using GraphRouter.Storage.ApiKeys;

namespace GraphRouter.Api.Security;

/// <summary>Who made a request: the API key it presented (by id and name, never its text) and that key's role.</summary>
public sealed record ApiCaller(string KeyId, string KeyName, ApiKeyRole Role);
