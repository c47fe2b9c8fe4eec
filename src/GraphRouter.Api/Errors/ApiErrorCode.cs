using GraphRouter.Serving;

namespace GraphRouter.Api.Errors;

/// <summary>
/// The stable <c>extensions.code</c> values the API answers with, beside the service's own
/// <see cref="ServiceErrorCode"/>s (copied verbatim from <see cref="ServiceException.Code"/>).
/// Apps branch on these; never rename one.
/// </summary>
public static class ApiErrorCode
{
    /// <summary>The HTTP request is not a GraphQL request: unparsable JSON, a missing or non-string <c>query</c>, non-object <c>variables</c>, a batch. HTTP 400.</summary>
    public const string BadRequest = "BAD_REQUEST";
    /// <summary>The document is not valid GraphQL syntax. HTTP 400 (200 when the client accepts only <c>application/json</c>).</summary>
    public const string ParseFailed = "GRAPHQL_PARSE_FAILED";
    /// <summary>The document does not validate against the schema. HTTP 400 (200 for <c>application/json</c>).</summary>
    public const string ValidationFailed = "GRAPHQL_VALIDATION_FAILED";
    /// <summary>A variable or argument value does not coerce to its type, or the service rejected the input. Same code as <see cref="ServiceErrorCode.BadUserInput"/>.</summary>
    public const string BadUserInput = ServiceErrorCode.BadUserInput;
    /// <summary>The operation to run cannot be determined (unknown <c>operationName</c>, several operations and no name, none at all). HTTP 400.</summary>
    public const string OperationResolutionFailure = "OPERATION_RESOLUTION_FAILURE";
    /// <summary>The query text is longer than <see cref="Http.GraphQLLimits.MaxQueryLength"/>. HTTP 400.</summary>
    public const string QueryTooLong = "QUERY_TOO_LONG";
    /// <summary>The selected operation nests deeper than <see cref="Http.GraphQLLimits.MaxDepth"/>. HTTP 400.</summary>
    public const string QueryTooDeep = "QUERY_TOO_DEEP";
    /// <summary>The selected operation's complexity exceeds <see cref="Http.GraphQLLimits.MaxComplexity"/>. HTTP 400.</summary>
    public const string QueryTooComplex = "QUERY_TOO_COMPLEX";
    /// <summary>The document uses more aliases than <see cref="Http.GraphQLLimits.MaxAliases"/> (alias batching). HTTP 400.</summary>
    public const string TooManyAliases = "TOO_MANY_ALIASES";
    /// <summary>The request body is larger than <see cref="Http.GraphQLLimits.MaxRequestBodyBytes"/>. HTTP 413.</summary>
    public const string RequestTooLarge = "REQUEST_TOO_LARGE";
    /// <summary>Not GET or POST, or a mutation over GET. HTTP 405 with an <c>Allow</c> header.</summary>
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    /// <summary>The <c>Accept</c> header admits neither <c>application/graphql-response+json</c> nor <c>application/json</c>. HTTP 406.</summary>
    public const string NotAcceptable = "NOT_ACCEPTABLE";
    /// <summary>A POST whose <c>Content-Type</c> is not <c>application/json</c> (UTF-8). HTTP 415.</summary>
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    /// <summary>No API key, or one that is unknown, revoked or malformed. HTTP 401 with a <c>WWW-Authenticate: Bearer</c> header.</summary>
    public const string Unauthenticated = "UNAUTHENTICATED";
    /// <summary>A valid API key whose role does not cover a root field of the operation; nothing ran. HTTP 403.</summary>
    public const string Forbidden = "FORBIDDEN";
    /// <summary>The key's (or, without a valid key, the remote address's) request budget is spent. HTTP 429 with a <c>Retry-After</c> header in seconds.</summary>
    public const string RateLimited = "RATE_LIMITED";
    /// <summary>An unexpected failure; its message and stack stay in the server log. HTTP 200 inside an executed operation, 500 before.</summary>
    public const string InternalServerError = "INTERNAL_SERVER_ERROR";
}
