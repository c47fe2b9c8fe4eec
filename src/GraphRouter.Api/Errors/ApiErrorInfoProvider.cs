using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using GraphQL.Validation.Errors;

namespace GraphRouter.Api.Errors;

/// <summary>
/// The one place errors are shaped for the response: every error gets <c>extensions.code</c>, and only errors
/// written for clients keep their message. Anything else (a bug, a failed dependency) becomes
/// <see cref="ApiErrorCode.InternalServerError"/> with a generic message, so no exception text or stack leaks.
/// </summary>
internal sealed class ApiErrorInfoProvider : IErrorInfoProvider
{
    public const string InternalErrorMessage = "Internal server error.";

    public ErrorInfo GetInfo(ExecutionError executionError)
    {
        ArgumentNullException.ThrowIfNull(executionError);
        var (code, message) = Describe(executionError);
        return new ErrorInfo
        {
            Message = message,
            Extensions = new Dictionary<string, object?>(1) { ["code"] = code },
        };
    }

    /// <summary>The code and client-facing message of an error.</summary>
    public static (string Code, string Message) Describe(ExecutionError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            ApiError or LimitExceededError => (error.Code ?? ApiErrorCode.InternalServerError, error.Message),
            SyntaxError => (ApiErrorCode.ParseFailed, error.Message),
            InvalidVariableError or InvalidLiteralError or ArgumentsOfCorrectTypeError => (ApiErrorCode.BadUserInput, error.Message),
            ValidationError => (ApiErrorCode.ValidationFailed, error.Message),
            InvalidOperationNameError or NoOperationNameError or NoOperationError or InvalidOperationError => (ApiErrorCode.OperationResolutionFailure, error.Message),
            DocumentError or RequestError => (ApiErrorCode.BadRequest, error.Message),
            _ => (ApiErrorCode.InternalServerError, InternalErrorMessage),
        };
    }
}
