using GraphQL;

namespace GraphRouter.Api.Http;

/// <summary>The parameters of one GraphQL-over-HTTP request, from a JSON body or a GET query string.</summary>
internal sealed record GraphQLHttpRequest
{
    public string? Query { get; init; }
    public string? OperationName { get; init; }
    public Inputs? Variables { get; init; }
    public Inputs? Extensions { get; init; }
}
