using GraphQL;
using GraphQL.Types;

namespace GraphRouter.Api.Schema;

/// <summary>
/// The GraphQL schema of DESIGN.md "API" (a contract apps code against: names are added, never renamed).
/// Built and initialized once per process; resolvers reach <see cref="Serving.IRouterService"/> through
/// the request's services, so the schema itself holds no per-request state.
/// </summary>
public sealed class RouterSchema : GraphQL.Types.Schema
{
    /// <summary>The weight of introspection fields in the complexity limit.</summary>
    public const double IntrospectionComplexityImpact = 0.01;

    public RouterSchema()
    {
        Query = new QueryType();
        Mutation = new MutationType();
        // GraphiQL asks for repeatable directives and deprecated input values in its introspection query.
        Features.RepeatableDirectives = true;
        Features.DeprecationOfInputValues = true;
        // Introspection counts 1% toward the complexity limit: GraphiQL's full introspection query fits once,
        // repeating it by aliases does not. Its cycles are bounded separately (IntrospectionNestingRule).
        this.WithIntrospectionComplexityImpact(IntrospectionComplexityImpact);
        Description = "GraphRouter: personalized LLM routing. Ask `route` which model to call for a user's query; send the user's ratings back with `submitFeedback`.";
    }

    /// <summary>Builds and initializes the schema, so that type errors surface at start-up rather than on the first request.</summary>
    public static RouterSchema Create()
    {
        var schema = new RouterSchema();
        schema.Initialize();
        return schema;
    }
}
