using GraphQL.Types;
using GraphRouter.Serving;

namespace GraphRouter.Api.Schema;

/// <summary>GraphQL <c>TrainingInput</c>: the optional settings of a queued training run.</summary>
internal sealed class TrainingInputType : InputObjectGraphType<TrainingCommand>
{
    public TrainingInputType()
    {
        Name = "TrainingInput";
        Field<StringGraphType>("config").Description("A training config name or path; default: the deployment's.");
        Field<BooleanGraphType>("warmStart").Description("Start from the active policy's weights instead of from scratch.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new TrainingCommand
    {
        Config = InputValues.String(value, "config"),
        WarmStart = InputValues.Boolean(value, "warmStart"),
    };
}
