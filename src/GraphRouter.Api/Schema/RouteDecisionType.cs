using GraphQL.Types;
using GraphRouter.Serving;

namespace GraphRouter.Api.Schema;

/// <summary>GraphQL <c>RouteDecision</c>: the choice and everything that explains it.</summary>
internal sealed class RouteDecisionType : ObjectGraphType<RouteResult>
{
    public RouteDecisionType()
    {
        Name = "RouteDecision";
        Field<NonNullGraphType<IdGraphType>>("decisionId").Description("Pass it back in FeedbackInput.decisionId.").Resolve(c => c.Source.DecisionId);
        Field<NonNullGraphType<StringGraphType>>("model").Description("The choice.").Resolve(c => c.Source.Model);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModelScoreType>>>>("ranking").Description("Every candidate considered, best utility first.").Resolve(c => c.Source.Ranking);
        Field<NonNullGraphType<StringGraphType>>("policyVersion").Resolve(c => c.Source.PolicyVersion);
        Field<NonNullGraphType<BooleanGraphType>>("userKnown").Description("False: the user has no history and got the cold-start prior.").Resolve(c => c.Source.UserKnown);
        Field<NonNullGraphType<IntGraphType>>("userInteractions").Description("How many of the user's interactions informed this decision.").Resolve(c => c.Source.UserInteractions);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("fallbackFrom").Description("Better-ranked models skipped because unavailable.").Resolve(c => c.Source.FallbackFrom);
        Field<NonNullGraphType<StringGraphType>>("explanation").Description("Why this model: the user's preference, the trade-off applied, the fallback.").Resolve(c => c.Source.Explanation);
    }
}
