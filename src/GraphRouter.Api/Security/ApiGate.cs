using System.Globalization;
using GraphRouter.Api.Errors;
using GraphRouter.Storage.ApiKeys;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace GraphRouter.Api.Security;

/// <summary>Why a request was refused before it was read: the HTTP status, the stable <c>extensions.code</c> and the client-facing message.</summary>
internal readonly record struct AccessDenial(int Status, string Code, string Message);

/// <summary>
/// The door of /graphql and /metrics: reads the key (<c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>),
/// authenticates it, and takes a permit from its bucket (the key's, or the remote address's when there is no valid
/// key). A refusal sets <c>WWW-Authenticate</c> or <c>Retry-After</c> on the response; the endpoint writes the body
/// in its own format. Runs before the request body is read, so a refused request costs no parsing.
/// </summary>
internal sealed class ApiGate
{
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The caller every request is when keys are not required (<c>--insecure-no-auth</c>): an admin of the default tenant.</summary>
    private static readonly ApiCaller Unauthenticated = new("none", "insecure-no-auth", ApiKeyRole.Admin, Storage.Tenancy.Tenants.Default);

    private readonly ApiSecurityOptions _options;
    private readonly ApiKeyAuthenticator? _authenticator;
    private readonly ApiRateLimiter _limiter;

    public ApiGate(ApiSecurityOptions options, Func<ApiKeyAuthenticator> authenticator, ApiRateLimiter limiter)
    {
        _options = options;
        _authenticator = options.RequireKeys ? authenticator() : null;
        _limiter = limiter;
    }

    public bool RequireKeys => _options.RequireKeys;

    /// <summary>The caller, or why the request is refused (401 or 429).</summary>
    public async ValueTask<(ApiCaller? Caller, AccessDenial? Denial)> AdmitAsync(HttpContext context)
    {
        if (_authenticator is null)
        {
            return (Unauthenticated, null);
        }

        var headers = context.Request.Headers;
        var (presented, problem) = ReadKey(headers.Authorization, headers[ApiKeyHeader]);
        var caller = presented is null ? null : await _authenticator.AuthenticateAsync(presented, context.RequestAborted);
        if (caller is null)
        {
            var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            if (_limiter.AcquireForAddress(address) is { } wait)
            {
                return (null, TooMany(context, wait, "Too many requests without a valid API key from this address"));
            }

            var invalid = presented is not null || problem is not null;
            context.Response.Headers.WWWAuthenticate = invalid ? "Bearer realm=\"graphrouter\", error=\"invalid_token\"" : "Bearer realm=\"graphrouter\"";
            var message = problem
                ?? (presented is null
                    ? "This endpoint needs an API key: send 'Authorization: Bearer KEY' (or 'X-Api-Key: KEY'). An operator creates keys with 'graphrouter keys create'."
                    : "The API key is not valid: it is unknown, revoked or malformed.");
            return (null, new AccessDenial(StatusCodes.Status401Unauthorized, ApiErrorCode.Unauthenticated, message));
        }

        if (_limiter.AcquireForKey(caller.KeyId) is { } retry)
        {
            return (null, TooMany(context, retry, $"Too many requests for API key {caller.KeyId}"));
        }

        return (caller, null);
    }

    /// <summary>A 403 for a caller whose role does not cover what it asked for.</summary>
    public static AccessDenial Forbidden(ApiCaller caller, string what) =>
        new(StatusCodes.Status403Forbidden, ApiErrorCode.Forbidden,
            $"API key {caller.KeyId} ('{caller.KeyName}') has role {ApiKeyRoles.Name(caller.Role)}, which may not use {what}; it needs an admin key.");

    /// <summary>The key text from the headers, or why the headers are unusable (null, null: no key at all).</summary>
    private static (string? Key, string? Problem) ReadKey(StringValues authorization, StringValues apiKey)
    {
        if (authorization.Count > 1 || apiKey.Count > 1)
        {
            return (null, "Send one API key in one header.");
        }

        string? bearer = null;
        if (authorization.Count == 1)
        {
            var value = authorization[0] ?? "";
            const string scheme = "Bearer ";
            if (!value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return (null, "The Authorization header must use the Bearer scheme: 'Authorization: Bearer KEY'.");
            }
            bearer = value[scheme.Length..].Trim();
        }

        var header = apiKey.Count == 1 ? apiKey[0]?.Trim() : null;
        if (bearer is not null && header is not null && !string.Equals(bearer, header, StringComparison.Ordinal))
        {
            return (null, "The Authorization and X-Api-Key headers name different keys; send one.");
        }

        var key = bearer ?? header;
        return string.IsNullOrEmpty(key) ? (null, authorization.Count + apiKey.Count > 0 ? "The API key header is empty." : null) : (key, null);
    }

    private static AccessDenial TooMany(HttpContext context, TimeSpan wait, string what)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        return new AccessDenial(StatusCodes.Status429TooManyRequests, ApiErrorCode.RateLimited,
            string.Create(CultureInfo.InvariantCulture, $"{what}; retry after {seconds} s."));
    }
}
