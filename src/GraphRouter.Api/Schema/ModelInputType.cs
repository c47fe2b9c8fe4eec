using GraphQL.Types;
using GraphRouter.Serving;

namespace GraphRouter.Api.Schema;

/// <summary>GraphQL <c>ModelInput</c>: a model to register, prices in USD per million tokens.</summary>
internal sealed class ModelInputType : InputObjectGraphType<ModelCommand>
{
    public ModelInputType()
    {
        Name = "ModelInput";
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<StringGraphType>("description").Description("What the model is good at; informs its embedding.");
        Field<FloatGraphType>("inputPricePerMillion").Description("USD per million input tokens.");
        Field<FloatGraphType>("outputPricePerMillion").Description("USD per million output tokens.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new ModelCommand
    {
        Name = InputValues.RequiredString(value, "name"),
        Description = InputValues.String(value, "description"),
        InputPricePerMillion = InputValues.Float(value, "inputPricePerMillion"),
        OutputPricePerMillion = InputValues.Float(value, "outputPricePerMillion"),
    };
}
