using GraphQL.Validation;

namespace GraphRouter.Api.Errors;

/// <summary>A document that breaks one of the API's limits (depth, complexity, aliases): a validation error with its own code.</summary>
internal sealed class LimitExceededError : ValidationError
{
    public LimitExceededError(string code, string message) : base(message)
    {
        Code = code;
    }
}
