using System.Globalization;
using GraphQL.Validation;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Rules.Custom;
using GraphRouter.Api.Errors;
using GraphRouter.Api.Http;

namespace GraphRouter.Api.Validation;

/// <summary>
/// GraphQL.NET's complexity analysis of the selected operation, reported as two distinct errors
/// (<see cref="ApiErrorCode.QueryTooDeep"/>, <see cref="ApiErrorCode.QueryTooComplex"/>) so a client can tell which limit it hit.
/// Complexity: 1 per field, list fields multiply their children by their <c>last</c> argument or 5.
/// </summary>
internal sealed class ComplexityLimitRule : ComplexityValidationRule
{
    private readonly GraphQLLimits _limits;

    public ComplexityLimitRule(GraphQLLimits limits)
        : base(new ComplexityOptions { MaxDepth = limits?.MaxDepth, MaxComplexity = limits?.MaxComplexity })
    {
        _limits = limits!;
    }

    protected override ValueTask ValidateComplexityAsync(ValidationContext context, double totalComplexity, int maxDepth)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (maxDepth > _limits.MaxDepth)
        {
            context.ReportError(new LimitExceededError(ApiErrorCode.QueryTooDeep, string.Create(CultureInfo.InvariantCulture,
                $"The operation nests {maxDepth} levels deep; at most {_limits.MaxDepth} are allowed.")));
        }
        else if (totalComplexity > _limits.MaxComplexity)
        {
            context.ReportError(new LimitExceededError(ApiErrorCode.QueryTooComplex, string.Create(CultureInfo.InvariantCulture,
                $"The operation's complexity is {totalComplexity}; at most {_limits.MaxComplexity} is allowed. Select fewer fields or ask for fewer items.")));
        }

        return ValueTask.CompletedTask;
    }
}
