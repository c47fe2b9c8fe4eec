using GraphQL.Types;
using GraphRouter.Serving;

namespace GraphRouter.Api.Schema;

/// <summary>GraphQL <c>Model</c>: a registered LLM, its prices and whether routing can use it.</summary>
internal sealed class ModelType : ObjectGraphType<ModelView>
{
    public ModelType()
    {
        Name = "Model";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<StringGraphType>>("description").Resolve(c => c.Source.Description);
        Field<FloatGraphType>("inputPricePerMillion").Description("USD per million input tokens.").Resolve(c => c.Source.InputPricePerMillion);
        Field<FloatGraphType>("outputPricePerMillion").Description("USD per million output tokens.").Resolve(c => c.Source.OutputPricePerMillion);
        Field<NonNullGraphType<BooleanGraphType>>("available").Resolve(c => c.Source.Available);
        Field<NonNullGraphType<BooleanGraphType>>("knownToPolicy").Description("Whether the active policy has a learned vector for it; a model it cannot score is never routed to.").Resolve(c => c.Source.KnownToPolicy);
    }
}
