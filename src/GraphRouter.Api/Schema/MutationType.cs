using GraphQL;
using GraphQL.Types;
using GraphRouter.Serving;

namespace GraphRouter.Api.Schema;

/// <summary>The <c>Mutation</c> root: feedback, the model catalogue, training and policy activation.</summary>
internal sealed class MutationType : ObjectGraphType
{
    public MutationType()
    {
        Name = "Mutation";

        Field<NonNullGraphType<FeedbackResultType>>("submitFeedback")
            .Description("Stores the user's rated responses (idempotent by key); the very next route for that user reflects them.")
            .Argument<NonNullGraphType<FeedbackInputType>>("input")
            .ResolveAsync(async context => await context.Telemetry().SubmitFeedbackAsync(
                context.Router(), context.Tenant(), context.GetArgument<FeedbackCommand>("input"), context.CancellationToken));

        Field<NonNullGraphType<ModelType>>("registerModel")
            .Description("Registers a model (name, description, price per 1M input/output tokens), or updates a registered one.")
            .Argument<NonNullGraphType<ModelInputType>>("input")
            .ResolveAsync(async context => await context.Router().RegisterModelAsync(
                context.GetArgument<ModelCommand>("input"), context.CancellationToken));

        Field<NonNullGraphType<ModelType>>("setModelAvailability")
            .Description("Marks a model available or not; unavailable models are skipped and the next best is returned as a fallback.")
            .Argument<NonNullGraphType<StringGraphType>>("model")
            .Argument<NonNullGraphType<BooleanGraphType>>("available")
            .ResolveAsync(async context => await context.Router().SetModelAvailabilityAsync(
                context.GetArgument<string>("model"), context.GetArgument<bool>("available"), context.CancellationToken));

        Field<NonNullGraphType<TrainingRunType>>("startTraining")
            .Description("Queues a training run; its progress is visible through trainingRuns.")
            .Argument<TrainingInputType>("input")
            .ResolveAsync(async context => await context.Router().StartTrainingAsync(
                context.GetArgument<TrainingCommand?>("input"), context.CancellationToken));

        Field<NonNullGraphType<PolicyType>>("activatePolicy")
            .Description("Verifies and loads a registered policy version, then makes it active; the old one serves until then.")
            .Argument<NonNullGraphType<StringGraphType>>("version")
            .ResolveAsync(async context => await context.Router().ActivatePolicyAsync(
                context.GetArgument<string>("version"), context.CancellationToken));

        Field<NonNullGraphType<PolicyType>>("rollbackPolicy")
            .Description("Re-activates the policy that was active before the current one.")
            .ResolveAsync(async context => await context.Router().RollbackPolicyAsync(context.CancellationToken));
    }
}
