using GraphQL.Types;
using GraphRouter.Serving;

namespace GraphRouter.Api.Schema;

/// <summary>GraphQL <c>TrainingRun</c>: a queued or finished retraining job.</summary>
internal sealed class TrainingRunType : ObjectGraphType<TrainingRunView>
{
    public TrainingRunType()
    {
        Name = "TrainingRun";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("status").Description("QUEUED, RUNNING, SUCCEEDED, REJECTED (failed the validation gate) or FAILED.").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<FloatGraphType>>("progress").Description("0 to 1.").Resolve(c => c.Source.Progress);
        Field<NonNullGraphType<DateTimeGraphType>>("created").Description("UTC.").Resolve(c => c.Source.Created.UtcDateTime);
        Field<DateTimeGraphType>("started").Resolve(c => c.Source.Started?.UtcDateTime);
        Field<DateTimeGraphType>("finished").Resolve(c => c.Source.Finished?.UtcDateTime);
        Field<ListGraphType<NonNullGraphType<MetricType>>>("metrics").Description("Validation metrics of the trained policy; null until it has them.").Resolve(c => c.Source.Metrics is { } metrics ? MetricType.InNameOrder(metrics) : null);
        Field<StringGraphType>("policyVersion").Description("The policy version it produced, if any.").Resolve(c => c.Source.PolicyVersion);
        Field<StringGraphType>("error").Description("Why it failed or was rejected.").Resolve(c => c.Source.Error);
    }
}
