using GraphQL;
using GraphQL.Types;
using GraphRouter.Api.Errors;
using GraphRouter.Serving;

namespace GraphRouter.Api.Schema;

/// <summary>The <c>Query</c> root: routing decisions and look-ups; every field delegates to <see cref="IRouterService"/>.</summary>
internal sealed class QueryType : ObjectGraphType
{
    public QueryType()
    {
        Name = "Query";

        Field<NonNullGraphType<RouteDecisionType>>("route")
            .Description("Which model to call for this user's query: the ranked candidates, the cost rule applied and why.")
            .Argument<NonNullGraphType<RouteInputType>>("input")
            .ResolveAsync(async context => await context.Telemetry().RouteAsync(
                context.Router(), context.Tenant(), context.GetArgument<RouteCommand>("input"), context.CancellationToken));

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModelType>>>>("models")
            .Description("Every registered model, available or not.")
            .ResolveAsync(async context => await context.Router().GetModelsAsync(context.CancellationToken));

        Field<UserType>("user")
            .Description("What the service knows of a user: interactions count, last seen, embedding norm; null for a user it has never seen.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async context => await context.Router().GetUserAsync(
                context.Tenant(), context.IdArgument("id"), context.CancellationToken));

        Field<PolicyType>("policy")
            .Description("The active policy; null when none is active.")
            .ResolveAsync(async context => await context.Router().GetActivePolicyAsync(context.CancellationToken));

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PolicyType>>>>("policies")
            .Description("Every registered policy version.")
            .ResolveAsync(async context => await context.Router().GetPoliciesAsync(context.CancellationToken));

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TrainingRunType>>>>("trainingRuns")
            .Description("The most recent training runs, newest first.")
            .Argument<IntGraphType>("last", argument => argument.DefaultValue = 10)
            .ResolveAsync(async context =>
            {
                var last = context.GetArgument("last", 10);
                if (last < 1)
                {
                    throw new ApiError(ServiceErrorCode.BadUserInput, $"Argument 'last' must be at least 1; got {last}.");
                }

                return await context.Router().GetTrainingRunsAsync(last, context.CancellationToken);
            });
    }
}
