using GraphQL.Types;
using GraphRouter.Serving;

namespace GraphRouter.Api.Schema;

/// <summary>GraphQL <c>Policy</c>: one versioned policy artifact and its validation metrics.</summary>
internal sealed class PolicyType : ObjectGraphType<PolicyView>
{
    public PolicyType()
    {
        Name = "Policy";
        Field<NonNullGraphType<StringGraphType>>("version").Resolve(c => c.Source.Version);
        Field<NonNullGraphType<DateTimeGraphType>>("created").Description("UTC.").Resolve(c => c.Source.Created.UtcDateTime);
        Field<NonNullGraphType<BooleanGraphType>>("active").Resolve(c => c.Source.Active);
        Field<DateTimeGraphType>("activatedAt").Description("UTC time it last became active; null if it never was.").Resolve(c => c.Source.ActivatedAt?.UtcDateTime);
        Field<NonNullGraphType<StringGraphType>>("dataSnapshot").Description("The data the policy was trained on.").Resolve(c => c.Source.DataSnapshot);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MetricType>>>>("metrics").Description("Metrics on the validation split.").Resolve(c => MetricType.InNameOrder(c.Source.Metrics));
    }
}
