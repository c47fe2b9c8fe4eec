using GraphQL;
using GraphQL.Execution;
using GraphRouter.Api.Errors;
using GraphRouter.Api.Http;
using GraphRouter.Api.Schema;
using GraphRouter.Serving;
using Microsoft.Extensions.Logging.Abstractions;

namespace GraphRouter.Api.Tests;

/// <summary>
/// How resolver failures become response errors: a <see cref="ServiceException"/> keeps its stable code and
/// message; any other exception becomes INTERNAL_SERVER_ERROR with a generic message, its text never sent.
/// (Through HTTP these need a router service behind the resolvers: the integrator's end-to-end tests.)
/// </summary>
public sealed class ErrorShapingTests
{
    // The gate is never asked here (no request is handled), so it needs no key store.
    private static readonly GraphQLHttpEndpoint Endpoint = new(RouterSchema.Create(), new GraphQLLimits(),
        new Security.ApiGate(new Security.ApiSecurityOptions { RequireKeys = false }, () => throw new InvalidOperationException("no key store"), new Security.ApiRateLimiter(new Security.ApiSecurityOptions())),
        NullLogger<GraphQLHttpEndpoint>.Instance);

    [Theory]
    [InlineData(ServiceErrorCode.BadUserInput)]
    [InlineData(ServiceErrorCode.NoCandidates)]
    [InlineData(ServiceErrorCode.NotFound)]
    [InlineData(ServiceErrorCode.Conflict)]
    [InlineData(ServiceErrorCode.PolicyInvalid)]
    [InlineData(ServiceErrorCode.Unavailable)]
    public async Task Service_exception_keeps_its_code_and_message(string code)
    {
        var context = new UnhandledExceptionContext(new ExecutionOptions(), new ServiceException(code, "rating 11 is outside 1..10"));

        await Endpoint.OnUnhandledException(context);
        var info = new ApiErrorInfoProvider().GetInfo(Assert.IsAssignableFrom<ExecutionError>(context.Exception));

        Assert.Equal("rating 11 is outside 1..10", info.Message);
        Assert.Equal(code, info.Extensions!["code"]);
    }

    [Fact]
    public async Task Unexpected_exception_is_internal_server_error_without_its_text()
    {
        var secret = new InvalidOperationException("connection string Host=db;Password=hunter2 failed at /srv/app/Engine.cs:42");
        var context = new UnhandledExceptionContext(new ExecutionOptions(), secret);

        await Endpoint.OnUnhandledException(context);
        // What GraphQL.NET does with a non-ExecutionError: wraps it with the message the delegate chose.
        var error = context.Exception as ExecutionError ?? new UnhandledError(context.ErrorMessage ?? "Error executing document.", context.Exception);
        var info = new ApiErrorInfoProvider().GetInfo(error);

        Assert.Equal(ApiErrorCode.InternalServerError, info.Extensions!["code"]);
        Assert.Equal(ApiErrorInfoProvider.InternalErrorMessage, info.Message);
        Assert.DoesNotContain("hunter2", info.Message, StringComparison.Ordinal);
        Assert.Single(info.Extensions);
    }

    [Fact]
    public void An_execution_error_of_unknown_origin_is_not_trusted_with_its_message()
    {
        var info = new ApiErrorInfoProvider().GetInfo(new ExecutionError("Error trying to resolve field 'route'.", new TimeoutException("pool exhausted")));

        Assert.Equal(ApiErrorCode.InternalServerError, info.Extensions!["code"]);
        Assert.Equal(ApiErrorInfoProvider.InternalErrorMessage, info.Message);
    }
}
