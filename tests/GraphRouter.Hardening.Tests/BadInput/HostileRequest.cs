using System.Text;

namespace GraphRouter.Hardening.Tests.BadInput;

/// <summary>One request the fuzzer sends to /graphql: raw bytes and headers exactly as generated.</summary>
public sealed record HostileRequest(string Kind, string Method, byte[]? Body, string? ContentType, string? Accept, string? QueryString = null)
{
    public const string GraphQLResponseJson = "application/graphql-response+json";

    /// <summary>A POST of a JSON body given as text (it may be invalid JSON on purpose).</summary>
    public static HostileRequest Json(string kind, string json) => new(kind, "POST", Encoding.UTF8.GetBytes(json), "application/json", GraphQLResponseJson);

    /// <summary>A well-formed JSON request whose document and variables (raw JSON text, or null) are hostile.</summary>
    public static HostileRequest Document(string kind, string query, string? variablesJson = null) =>
        Json(kind, "{\"query\":" + System.Text.Json.JsonSerializer.Serialize(query) + (variablesJson is null ? "" : ",\"variables\":" + variablesJson) + "}");

    public override string ToString()
    {
        var body = Body is null ? "(no body)" : Encoding.UTF8.GetString(Body);
        return $"{Kind}: {Method} ct={ContentType ?? "(none)"} accept={Accept ?? "(none)"} qs={QueryString} body[{Body?.Length ?? 0}]={(body.Length > 300 ? body[..300] + "..." : body)}";
    }
}
