using GraphQL.Types;
using GraphRouter.Serving;

namespace GraphRouter.Api.Schema;

/// <summary>GraphQL <c>ModelScore</c>: one candidate's predicted preference, cost and utility.</summary>
internal sealed class ModelScoreType : ObjectGraphType<ModelScoreView>
{
    public ModelScoreType()
    {
        Name = "ModelScore";
        Field<NonNullGraphType<StringGraphType>>("model").Resolve(c => c.Source.Model);
        Field<NonNullGraphType<FloatGraphType>>("score").Description("Predicted preference of THIS user for this model on this query (before cost).").Resolve(c => c.Source.Score);
        Field<NonNullGraphType<FloatGraphType>>("probability").Description("P(user prefers it over the other candidates), softmax of scores.").Resolve(c => c.Source.Probability);
        Field<FloatGraphType>("expectedCostUsd").Description("Expected cost of answering this query with this model; null when its prices are unknown.").Resolve(c => c.Source.ExpectedCostUsd);
        Field<NonNullGraphType<FloatGraphType>>("utility").Description("After the cost rule; the ranking's order.").Resolve(c => c.Source.Utility);
    }
}
