namespace GraphRouter.Api.Http;

/// <summary>The media types a GraphQL response can be served as (GraphQL over HTTP, "Accept").</summary>
public enum ResponseMediaType
{
    /// <summary>The client accepts neither: HTTP 406.</summary>
    None,
    /// <summary><c>application/graphql-response+json</c>: the default; request errors get HTTP 4xx.</summary>
    GraphQLResponseJson,
    /// <summary><c>application/json</c>, for legacy clients: every well-formed request gets HTTP 200.</summary>
    Json,
}
