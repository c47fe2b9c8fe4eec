using GraphQL.Types;
using GraphRouter.Serving;

namespace GraphRouter.Api.Schema;

/// <summary>GraphQL <c>RatedResponseInput</c>: one response the user saw and its rating on the deployment's scale.</summary>
internal sealed class RatedResponseInputType : InputObjectGraphType<RatedResponseCommand>
{
    public RatedResponseInputType()
    {
        Name = "RatedResponseInput";
        Field<NonNullGraphType<StringGraphType>>("model");
        Field<NonNullGraphType<FloatGraphType>>("rating").Description("On the deployment's declared scale (default 1..10); outside it is BAD_USER_INPUT.");
        Field<StringGraphType>("text");
        Field<FloatGraphType>("costUsd");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new RatedResponseCommand
    {
        Model = InputValues.RequiredString(value, "model"),
        Rating = InputValues.RequiredFloat(value, "rating"),
        Text = InputValues.String(value, "text"),
        CostUsd = InputValues.Float(value, "costUsd"),
    };
}
