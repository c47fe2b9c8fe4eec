using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace GraphRouter.Api.Tests.Support;

/// <summary>One HTTP exchange with /graphql, kept raw: status, headers and the parsed JSON body.</summary>
public sealed record GraphQLCall(HttpStatusCode Status, string? MediaType, string? Charset, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders, JsonElement Body)
{
    public const string GraphQLResponseJson = "application/graphql-response+json";

    /// <summary>The first error's <c>extensions.code</c>.</summary>
    public string ErrorCode => Body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString()!;

    public string ErrorMessage => Body.GetProperty("errors")[0].GetProperty("message").GetString()!;

    public bool HasData => Body.TryGetProperty("data", out _);

    /// <summary>Asserts the status, showing the response body when it differs.</summary>
    public void AssertStatus(HttpStatusCode expected)
    {
        if (Status != expected)
        {
            Assert.Fail($"Expected HTTP {(int)expected}, got {(int)Status}: {Body}");
        }
    }

    public static async Task<GraphQLCall> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new GraphQLCall(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Content.Headers.ContentType?.CharSet,
            response.Headers, response.Content.Headers, body);
    }

    /// <summary>POSTs <paramref name="json"/> as the body with the given content type and Accept header (null: none sent).</summary>
    public static Task<GraphQLCall> PostAsync(HttpClient client, string json, string? accept = GraphQLResponseJson, string? contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)),
        };
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return SendAsync(client, request);
    }

    /// <summary>POSTs a GraphQL request object built from its parts.</summary>
    public static Task<GraphQLCall> PostQueryAsync(HttpClient client, string query, object? variables = null, string? operationName = null, string? accept = GraphQLResponseJson) =>
        PostAsync(client, JsonSerializer.Serialize(new { query, variables, operationName }), accept);

    public static Task<GraphQLCall> GetAsync(HttpClient client, string query, string? variables = null, string? operationName = null, string? accept = GraphQLResponseJson)
    {
        var uri = "/graphql?query=" + Uri.EscapeDataString(query)
            + (variables is null ? "" : "&variables=" + Uri.EscapeDataString(variables))
            + (operationName is null ? "" : "&operationName=" + Uri.EscapeDataString(operationName));
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return SendAsync(client, request);
    }
}
