using GraphQL;
using GraphRouter.Serving;

namespace GraphRouter.Api.Errors;

/// <summary>An error the API reports with a stable code and a message meant for the client (never an internal exception's text).</summary>
internal sealed class ApiError : ExecutionError
{
    public ApiError(string code, string message) : base(message)
    {
        Code = code;
    }

    /// <summary>A service failure the caller can act on: its code and message pass through unchanged.</summary>
    public static ApiError From(ServiceException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new ApiError(exception.Code, exception.Message);
    }
}
