using GraphQL.Types;
using GraphRouter.Serving;

namespace GraphRouter.Api.Schema;

/// <summary>GraphQL <c>RouteInput</c>, parsed straight into a <see cref="RouteCommand"/>.</summary>
internal sealed class RouteInputType : InputObjectGraphType<RouteCommand>
{
    public RouteInputType()
    {
        Name = "RouteInput";
        Field<NonNullGraphType<IdGraphType>>("userId").Description("The app's opaque user id; unknown users get the cold-start prior.");
        Field<NonNullGraphType<StringGraphType>>("query").Description("The user's query text.");
        Field<IdGraphType>("conversationId").Description("Earlier turns of this conversation inform the decision.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("candidates").Description("Model names; default: every registered, available model.");
        Field<FloatGraphType>("costWeight").Description("Lambda in utility = quality - lambda * cost; default from config.");
        Field<FloatGraphType>("maxCostUsd").Description("Models whose expected cost exceeds it are excluded.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new RouteCommand
    {
        UserId = InputValues.RequiredId(value, "userId"),
        Query = InputValues.RequiredString(value, "query"),
        ConversationId = InputValues.Id(value, "conversationId"),
        Candidates = InputValues.Strings(value, "candidates"),
        CostWeight = InputValues.Float(value, "costWeight"),
        MaxCostUsd = InputValues.Float(value, "maxCostUsd"),
    };
}
