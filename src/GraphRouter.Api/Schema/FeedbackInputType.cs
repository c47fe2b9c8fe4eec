using GraphQL.Types;
using GraphRouter.Serving;

namespace GraphRouter.Api.Schema;

/// <summary>GraphQL <c>FeedbackInput</c>, parsed straight into a <see cref="FeedbackCommand"/>.</summary>
internal sealed class FeedbackInputType : InputObjectGraphType<FeedbackCommand>
{
    public FeedbackInputType()
    {
        Name = "FeedbackInput";
        Field<NonNullGraphType<IdGraphType>>("idempotencyKey").Description("A replay with the same key changes nothing and says duplicate: true.");
        Field<NonNullGraphType<IdGraphType>>("userId");
        Field<IdGraphType>("conversationId");
        Field<IntGraphType>("step").DefaultValue(0).Description("The step of the conversation this feedback rates.");
        Field<NonNullGraphType<StringGraphType>>("query");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RatedResponseInputType>>>>("responses").Description("The responses the user saw, each rated.");
        Field<IdGraphType>("decisionId").Description("The route decision this feedback answers, if any.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new FeedbackCommand
    {
        IdempotencyKey = InputValues.RequiredId(value, "idempotencyKey"),
        UserId = InputValues.RequiredId(value, "userId"),
        ConversationId = InputValues.Id(value, "conversationId"),
        Step = InputValues.Int(value, "step") ?? 0,
        Query = InputValues.RequiredString(value, "query"),
        Responses = InputValues.Objects<RatedResponseCommand>(value, "responses"),
        DecisionId = InputValues.Id(value, "decisionId"),
    };
}
