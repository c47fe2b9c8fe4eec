using GraphQL.Types;
using GraphRouter.Serving;

namespace GraphRouter.Api.Schema;

/// <summary>GraphQL <c>FeedbackResult</c>: whether the feedback was committed, or was a replay.</summary>
internal sealed class FeedbackResultType : ObjectGraphType<FeedbackResult>
{
    public FeedbackResultType()
    {
        Name = "FeedbackResult";
        Field<NonNullGraphType<BooleanGraphType>>("accepted").Resolve(c => c.Source.Accepted);
        Field<NonNullGraphType<BooleanGraphType>>("duplicate").Description("True for a replay of an idempotency key: nothing changed.").Resolve(c => c.Source.Duplicate);
        Field<NonNullGraphType<IntGraphType>>("userInteractions").Resolve(c => c.Source.UserInteractions);
    }
}
