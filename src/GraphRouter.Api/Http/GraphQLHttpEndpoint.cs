using System.Globalization;
using System.IO.Pipelines;
using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQL.Validation;
using GraphQLParser.AST;
using GraphRouter.Api.Errors;
using GraphRouter.Api.Schema;
using GraphRouter.Api.Security;
using GraphRouter.Api.Validation;
using GraphRouter.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GraphRouter.Api.Http;

/// <summary>
/// /graphql per the GraphQL-over-HTTP specification: POST with a JSON body, GET with a query string for
/// queries only, responses in <c>application/graphql-response+json</c> (or <c>application/json</c> when that is
/// all the client accepts), and status codes that tell request errors (4xx, no <c>data</c>) from executed
/// operations (200, field errors inside). Written by hand so the fast path is a dictionary lookup for the parsed
/// document, one execution and one serialization straight into the response body.
/// </summary>
internal sealed class GraphQLHttpEndpoint
{
    /// <summary>Deepest AST the parser builds before giving up (a guard against stack exhaustion, well above <see cref="GraphQLLimits.MaxDepth"/>).</summary>
    private const int MaxParserDepth = 64;

    private readonly RouterSchema _schema;
    private readonly GraphQLLimits _limits;
    private readonly ILogger<GraphQLHttpEndpoint> _logger;
    private readonly ApiGate _gate;
    private readonly GraphQLDocumentBuilder _parser = new() { MaxDepth = MaxParserDepth };

    /// <summary>
    /// Queries run their fields one after another, like mutations: the resolvers call an in-process engine, so
    /// parallel scheduling costs more than it saves (about 4 us of a 5 us <c>{ __typename }</c> here), and no
    /// request-scoped service is ever used by two resolvers at once.
    /// </summary>
    private readonly DocumentExecuter _executer = new(
        new GraphQLDocumentBuilder(),
        new DocumentValidator(),
        new DefaultExecutionStrategySelector(
        [
            new ExecutionStrategyRegistration(SerialExecutionStrategy.Instance, OperationType.Query),
            new ExecutionStrategyRegistration(SerialExecutionStrategy.Instance, OperationType.Mutation),
        ]),
        []);
    private readonly GraphQLSerializer _serializer = new(new ApiErrorInfoProvider());
    private readonly DocumentCache _cache;
    private readonly IValidationRule[] _allRules;
    private readonly IValidationRule[] _variableDependentRules;
    private readonly Func<UnhandledExceptionContext, Task> _onUnhandledException;

    public GraphQLHttpEndpoint(RouterSchema schema, GraphQLLimits limits, ApiGate gate, ILogger<GraphQLHttpEndpoint> logger)
    {
        _schema = schema;
        _gate = gate;
        _limits = limits;
        _logger = logger;
        _cache = new DocumentCache(limits.DocumentCacheEntries);
        var complexity = new ComplexityLimitRule(limits);
        _allRules = [.. DocumentValidator.CoreRules, new AliasLimitRule(limits.MaxAliases), IntrospectionNestingRule.Instance, complexity];
        _variableDependentRules = [complexity];
        _onUnhandledException = OnUnhandledException;
    }

    internal DocumentCache Cache => _cache;

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            await HandleCoreAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            // A failure outside GraphQL execution (which shapes its own errors): log it, answer without its text.
            _logger.LogError(exception, "GraphQL request failed outside execution");
            context.Response.Clear();
            await WriteRequestErrorAsync(context, StatusCodes.Status500InternalServerError, ResponseMediaType.GraphQLResponseJson,
                ApiErrorCode.InternalServerError, ApiErrorInfoProvider.InternalErrorMessage);
        }
    }

    private async Task HandleCoreAsync(HttpContext context)
    {
        var request = context.Request;
        // The key and its rate limit first: a request without a valid key, or over its budget, is not even read.
        var (caller, denial) = await _gate.AdmitAsync(context);
        if (denial is { } refused)
        {
            var negotiated = MediaTypes.Negotiate(request.Headers.Accept);
            await WriteRequestErrorAsync(context, refused.Status, negotiated == ResponseMediaType.None ? ResponseMediaType.GraphQLResponseJson : negotiated,
                refused.Code, refused.Message);
            return;
        }

        var isGet = HttpMethods.IsGet(request.Method);
        if (!isGet && !HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "GET, POST";
            await WriteRequestErrorAsync(context, StatusCodes.Status405MethodNotAllowed, ResponseMediaType.GraphQLResponseJson,
                ApiErrorCode.MethodNotAllowed, $"{request.Method} is not supported on /graphql; use POST (or GET for queries).");
            return;
        }

        var mediaType = MediaTypes.Negotiate(request.Headers.Accept);
        if (mediaType == ResponseMediaType.None)
        {
            await WriteRequestErrorAsync(context, StatusCodes.Status406NotAcceptable, ResponseMediaType.Json,
                ApiErrorCode.NotAcceptable, $"The Accept header must admit {MediaTypes.GraphQLResponseJson} or {MediaTypes.Json}.");
            return;
        }

        var parameters = isGet ? await ReadQueryStringAsync(context, mediaType) : await ReadBodyAsync(context, mediaType);
        if (parameters is null)
        {
            return;
        }

        var query = parameters.Query;
        if (string.IsNullOrWhiteSpace(query))
        {
            await WriteRequestErrorAsync(context, StatusCodes.Status400BadRequest, mediaType,
                ApiErrorCode.BadRequest, "The request has no 'query'; send the GraphQL document as a string in 'query'.");
            return;
        }

        if (query.Length > _limits.MaxQueryLength)
        {
            await WriteRequestErrorAsync(context, StatusCodes.Status400BadRequest, mediaType, ApiErrorCode.QueryTooLong,
                string.Create(CultureInfo.InvariantCulture, $"The query is {query.Length} characters long; at most {_limits.MaxQueryLength} are allowed. Pass values as variables."));
            return;
        }

        if (UnicodeText.FirstUnstorable(parameters.Variables) is not null)
        {
            await WriteRequestErrorAsync(context, StatusFor(mediaType, executed: false), mediaType, ApiErrorCode.BadUserInput,
                "A string in 'variables' " + UnicodeText.Problem + ".");
            return;
        }

        var key = new DocumentKey(query, parameters.OperationName);
        if (!_cache.TryGet(key, out var operation))
        {
            operation = ParseOperation(query, parameters.OperationName, out var documentError);
            if (operation is null)
            {
                await WriteResultAsync(context, new ExecutionResult(documentError!), mediaType, StatusFor(mediaType, executed: false));
                return;
            }
        }

        if (isGet && operation.Operation.Operation != OperationType.Query)
        {
            context.Response.Headers.Allow = "POST";
            await WriteRequestErrorAsync(context, StatusCodes.Status405MethodNotAllowed, mediaType, ApiErrorCode.MethodNotAllowed,
                $"GET can only run queries; send this {operation.Operation.Operation.ToString().ToLowerInvariant()} with POST.");
            return;
        }

        // The whole operation is checked against the caller's role before anything runs: a refused mutation changes nothing.
        if (operation.Access.Role > caller!.Role)
        {
            var forbidden = ApiGate.Forbidden(caller, $"'{operation.Access.Field}'");
            await WriteRequestErrorAsync(context, forbidden.Status, mediaType, forbidden.Code, forbidden.Message);
            return;
        }

        var result = await _executer.ExecuteAsync(new ExecutionOptions
        {
            Schema = _schema,
            Query = query,
            Document = operation.Document,
            OperationName = parameters.OperationName,
            Variables = parameters.Variables,
            Extensions = parameters.Extensions,
            ValidationRules = !operation.Validated ? _allRules
                : operation.ComplexityDependsOnVariables ? _variableDependentRules
                : [],
            RequestServices = context.RequestServices,
            User = context.User,
            // The caller's tenant scopes every user the operation addresses; resolvers read it from here only.
            UserContext = new CallerContext(caller),
            CancellationToken = context.RequestAborted,
            UnhandledExceptionDelegate = _onUnhandledException,
        });

        if (result.Executed && !operation.Validated)
        {
            _cache.Add(key, operation with { Validated = true });
        }

        var status = result.Executed ? StatusCodes.Status200OK
            : IsServerFailure(result) ? StatusCodes.Status500InternalServerError
            : StatusFor(mediaType, executed: false);
        await WriteResultAsync(context, result, mediaType, status);
    }

    /// <summary>Parses the document and selects its operation, or says why it cannot (a document error, reported like GraphQL.NET's own).</summary>
    private CachedOperation? ParseOperation(string query, string? operationName, out ExecutionError? error)
    {
        GraphQLDocument document;
        try
        {
            document = _parser.Build(query);
        }
        catch (SyntaxError syntaxError)
        {
            error = syntaxError;
            return null;
        }
        catch (GraphQLParser.Exceptions.GraphQLMaxDepthExceededException)
        {
            // GraphQL.NET wraps the parser's syntax errors but lets this one through; it is the client's document, not a failure here.
            error = new ApiError(ApiErrorCode.QueryTooDeep,
                string.Create(CultureInfo.InvariantCulture, $"The document nests deeper than {MaxParserDepth} levels; the parser stops there (operations may nest at most {_limits.MaxDepth})."));
            return null;
        }

        GraphQLOperationDefinition? selected = null;
        foreach (var definition in document.Definitions)
        {
            if (definition is not GraphQLOperationDefinition candidate)
            {
                continue;
            }

            if (operationName is null)
            {
                if (selected is not null)
                {
                    error = new NoOperationNameError();
                    return null;
                }

                selected = candidate;
            }
            else if (candidate.Name is { } name && name.Value.Span.SequenceEqual(operationName))
            {
                selected = candidate;
                break;
            }
        }

        if (selected is null)
        {
            error = operationName is null ? new NoOperationError() : new InvalidOperationNameError(operationName);
            return null;
        }

        if (!UnicodeText.LiteralsStorable(document))
        {
            error = new ApiError(ApiErrorCode.BadUserInput, "A string literal in the document " + UnicodeText.Problem + ".");
            return null;
        }

        if (selected.Operation == OperationType.Subscription && _schema.Subscription is null)
        {
            // GraphQL.NET's complexity analysis throws on an operation type the schema lacks; answer before it runs.
            error = new ApiError(ApiErrorCode.ValidationFailed, "This schema has no subscriptions; send a query or a mutation.");
            return null;
        }

        error = null;
        return new CachedOperation(document, selected, Validated: false);
    }

    private async ValueTask<GraphQLHttpRequest?> ReadQueryStringAsync(HttpContext context, ResponseMediaType mediaType)
    {
        if (GraphQLRequestReader.TryReadQueryString(context.Request.Query, out var request, out var problem))
        {
            return request;
        }

        await WriteRequestErrorAsync(context, StatusCodes.Status400BadRequest, mediaType, ApiErrorCode.BadRequest, problem);
        return null;
    }

    private async ValueTask<GraphQLHttpRequest?> ReadBodyAsync(HttpContext context, ResponseMediaType mediaType)
    {
        var request = context.Request;
        if (!MediaTypes.IsJsonRequest(request.ContentType))
        {
            await WriteRequestErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, mediaType, ApiErrorCode.UnsupportedMediaType,
                request.ContentType is null
                    ? $"A POST needs Content-Type: {MediaTypes.Json}."
                    : $"Content-Type '{request.ContentType}' is not supported; send {MediaTypes.Json} (UTF-8).");
            return null;
        }

        var limit = _limits.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            await WriteBodyTooLargeAsync(context, mediaType);
            return null;
        }

        var reader = request.BodyReader;
        ReadResult read;
        try
        {
            while (true)
            {
                read = await reader.ReadAsync(context.RequestAborted);
                if (read.Buffer.Length > limit)
                {
                    reader.AdvanceTo(read.Buffer.End);
                    await WriteBodyTooLargeAsync(context, mediaType);
                    return null;
                }

                if (read.IsCompleted)
                {
                    break;
                }

                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await WriteBodyTooLargeAsync(context, mediaType);
            return null;
        }
        catch (BadHttpRequestException exception)
        {
            // A body Kestrel could not read (truncated, bad chunking, too slow).
            await WriteRequestErrorAsync(context, exception.StatusCode, mediaType, ApiErrorCode.BadRequest, "The request body could not be read.");
            return null;
        }

        GraphQLHttpRequest parsed;
        string problem;
        bool ok;
        try
        {
            ok = GraphQLRequestReader.TryReadBody(read.Buffer, out parsed, out problem);
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }

        if (!ok)
        {
            await WriteRequestErrorAsync(context, StatusCodes.Status400BadRequest, mediaType, ApiErrorCode.BadRequest, problem);
            return null;
        }

        return parsed;
    }

    private Task WriteBodyTooLargeAsync(HttpContext context, ResponseMediaType mediaType) =>
        WriteRequestErrorAsync(context, StatusCodes.Status413PayloadTooLarge, mediaType, ApiErrorCode.RequestTooLarge,
            string.Create(CultureInfo.InvariantCulture, $"The request body is larger than {_limits.MaxRequestBodyBytes} bytes."));

    /// <summary>
    /// With <c>application/graphql-response+json</c>, a request that fails before execution (parse, validation,
    /// variable coercion) is a 400; legacy <c>application/json</c> clients get 200 for every well-formed request.
    /// </summary>
    private static int StatusFor(ResponseMediaType mediaType, bool executed) =>
        executed || mediaType == ResponseMediaType.Json ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;

    /// <summary>A failure before execution that is not about the request (no document or client error among the errors).</summary>
    private static bool IsServerFailure(ExecutionResult result) =>
        result.Errors is { Count: > 0 } errors && errors.Any(error => error is not DocumentError and not RequestError and not ApiError);

    private Task WriteRequestErrorAsync(HttpContext context, int status, ResponseMediaType mediaType, string code, string message) =>
        WriteResultAsync(context, new ExecutionResult(new ApiError(code, message)), mediaType, status);

    private async Task WriteResultAsync(HttpContext context, ExecutionResult result, ResponseMediaType mediaType, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = MediaTypes.ContentType(mediaType);
        await _serializer.WriteAsync(response.Body, result, context.RequestAborted);
    }

    /// <summary>
    /// Resolver failures: a <see cref="ServiceException"/> keeps its code and message; anything else is logged here
    /// with its stack and reaches the client only as <see cref="ApiErrorCode.InternalServerError"/>.
    /// </summary>
    internal Task OnUnhandledException(UnhandledExceptionContext context)
    {
        if (context.OriginalException is ServiceException serviceException)
        {
            context.Exception = ApiError.From(serviceException);
        }
        else
        {
            _logger.LogError(context.OriginalException, "GraphQL request failed in {Field}", context.FieldContext?.FieldDefinition.Name ?? "the document");
            context.ErrorMessage = ApiErrorInfoProvider.InternalErrorMessage;
        }

        return Task.CompletedTask;
    }
}
