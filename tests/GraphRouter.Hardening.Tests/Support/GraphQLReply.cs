using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace GraphRouter.Hardening.Tests.Support;

/// <summary>One answer from /graphql: the status and the body, parsed when it is JSON.</summary>
public sealed record GraphQLReply(int Status, string? MediaType, string Text)
{
    public const string Accept = "application/graphql-response+json";

    /// <summary>The body as JSON; throws when it is not.</summary>
    public JsonElement Json => JsonDocument.Parse(Text).RootElement.Clone();

    /// <summary><c>data.FIELD</c> when the operation ran without errors; fails the test otherwise.</summary>
    public JsonElement Data(string field)
    {
        var json = Json;
        if (Status != 200 || json.TryGetProperty("errors", out _))
        {
            Assert.Fail($"expected data, got HTTP {Status}: {Text}");
        }

        return json.GetProperty("data").GetProperty(field);
    }

    /// <summary>POSTs a GraphQL request built from a query and variables.</summary>
    public static Task<GraphQLReply> PostAsync(HttpClient client, string query, object? variables = null, CancellationToken cancellationToken = default) =>
        SendAsync(client, HttpMethod.Post, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { query, variables })), "application/json", Accept, cancellationToken: cancellationToken);

    /// <summary>
    /// Sends raw bytes with exactly the given headers (null: not sent); GET puts <paramref name="queryString"/> on the URL.
    /// Each request on its own connection (<c>Connection: close</c>): a server that answers before reading a body closes
    /// the connection, and a pooled one could then fail the next, innocent request.
    /// </summary>
    public static async Task<GraphQLReply> SendAsync(HttpClient client, HttpMethod method, byte[]? body, string? contentType, string? accept,
        string? queryString = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(method, "/graphql" + queryString);
        request.Headers.ConnectionClose = true;
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = null;
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        if (accept is not null)
        {
            request.Headers.Accept.Clear();
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new GraphQLReply((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, text);
    }

    public override string ToString() => $"HTTP {Status} {MediaType}: {(Text.Length > 600 ? Text[..600] + "..." : Text)}";
}
