using System.Globalization;
using System.Text;
using CsCheck;

namespace GraphRouter.Hardening.Tests.BadInput;

/// <summary>
/// Generators of requests that must all be refused: each one carries at least one defect the service has to catch
/// (malformed documents, wrong-typed or out-of-range values, unknown models, hostile text, broken bodies, wrong
/// headers), so none may store anything and none may answer with data and no error.
/// </summary>
public static class HostileRequests
{
    public const string Route = "query($input: RouteInput!) { route(input: $input) { decisionId model ranking { model utility } } }";
    public const string Feedback = "mutation($input: FeedbackInput!) { submitFeedback(input: $input) { accepted duplicate userInteractions } }";

    private static readonly string[] Tokens =
    [
        "{", "}", "(", ")", "[", "]", ":", "$", "!", "@", "...", "=", ",", "|", "&", "#x\n", "\"", "\"\"\"", "query", "mutation", "subscription",
        "fragment", "on", "route", "submitFeedback", "input", "userId", "query", "models", "__schema", "__type", "__typename", "true", "null",
        "1", "-0", "1.5e999", "9999999999999999999999", "\"s\"", "\"\\u0000\"", "\"\\ud800\"", "$input", "RouteInput!", "Int", "@skip(if: true)",
        "\\", "\u0000", "\uFFFF", "é", "🙂", "\t", "\n",
    ];

    /// <summary>Texts no field accepts as they are, or that stress the parsers: NUL, lone surrogates, controls, huge, empty.</summary>
    private static readonly Gen<string> BadText = Gen.OneOf(
        Gen.Const(""), Gen.Const("   "), Gen.Const("a\u0000b"), Gen.Const("\u0000"), Gen.Const("x\ud800y"), Gen.Const("\udfff"),
        Gen.Const("\u0001\u001f\u007f"), Gen.Int[40_000, 300_000].Select(n => new string('q', n)));

    /// <summary>JSON value texts of the wrong type or out of range for a Float rating (1..10).</summary>
    private static readonly Gen<string> BadRating = Gen.OneOf(
        "1e999", "-1e999", "1e308", "-1e308", "0", "-1", "11", "10.000001", "0.999999", "\"5\"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"",
        "null", "true", "[5]", "{\"v\":5}", "\"\"", "123456789012345678901234567890");

    private static readonly Gen<string> AnyRating = Gen.Frequency((3, BadRating), (1, Gen.Int[1, 10].Select(i => i.ToString(CultureInfo.InvariantCulture))));

    private static readonly Gen<string> SomeText = Gen.Frequency(
        (4, Gen.Int[0, 999_999].Select(i => $"\"fuzz {i}\"")),
        (2, BadText.Select(Quote)),
        (1, Gen.OneOf("1", "2.5", "true", "null", "[]", "{}")));

    /// <summary>A FeedbackInput as JSON text that is wrong in at least one place (a bad rating or an unknown model guarantees it).</summary>
    public static readonly Gen<string> BadFeedbackInput =
        Gen.Select(SomeText, SomeText, SomeText, Gen.Int[1, 4], AnyRating, BadRating, Gen.Int[0, 3], Gen.Int[0, 9])
        .Select((key, user, query, responses, rating, badRating, defect, extra) =>
        {
            var items = new List<string>();
            for (var i = 0; i < responses; i++)
            {
                var model = defect == 1 && i == 0 ? "\"fuzz/no-such-model\"" : $"\"gpt-4-1106-preview{(i == 0 ? "" : "-" + i)}\"";
                var value = i == 0 && defect != 1 ? badRating : rating;
                items.Add($"{{\"model\":{model},\"rating\":{value}{(extra == 3 ? ",\"text\":" + Quote(new string('t', 300_000)) : "")}{(extra == 4 ? ",\"costUsd\":1e999" : "")}}}");
            }

            var step = extra switch { 5 => ",\"step\":-1", 6 => ",\"step\":1.5", 7 => ",\"step\":2147483648", _ => "" };
            var unknown = extra == 8 ? ",\"noSuchField\":1" : "";
            var decision = extra == 9 ? ",\"decisionId\":" + Quote("d\u0000") : "";
            return $"{{\"idempotencyKey\":{key},\"userId\":{user},\"query\":{query},\"responses\":[{string.Join(',', items)}]{step}{unknown}{decision}}}";
        });

    /// <summary>A RouteInput as JSON text with at least one defect.</summary>
    public static readonly Gen<string> BadRouteInput =
        Gen.Select(SomeText, SomeText, Gen.Int[0, 8])
        .Select((user, query, defect) => defect switch
        {
            0 => $"{{\"userId\":{user},\"query\":{query},\"candidates\":[\"fuzz/no-such-model\"]}}",
            1 => $"{{\"userId\":{user},\"query\":{query},\"costWeight\":1e999}}",
            2 => $"{{\"userId\":{user},\"query\":{query},\"costWeight\":-1}}",
            3 => $"{{\"userId\":{user},\"query\":{query},\"maxCostUsd\":\"cheap\"}}",
            4 => $"{{\"userId\":{user},\"query\":{Quote(new string('q', 40_000))}}}",
            5 => $"{{\"userId\":{user},\"query\":{query},\"candidates\":{string.Concat(Enumerable.Repeat("[", 80))}{string.Concat(Enumerable.Repeat("]", 80))}}}",
            6 => $"{{\"userId\":\"a\\u0000b\",\"query\":{query}}}",
            7 => $"{{\"userId\":{user},\"query\":\"x\\ud800\"}}",
            _ => $"{{\"userId\":{user},\"query\":{query},\"candidates\":[{string.Join(',', Enumerable.Range(0, 100).Select(i => $"\"m{i}\""))}]}}",
        });

    /// <summary>GraphQL documents that do not parse, do not validate, or break a limit.</summary>
    public static readonly Gen<HostileRequest> BadDocuments = Gen.OneOf(
        Gen.OneOf(Tokens).Array[1, 60].Select(t => HostileRequest.Document("random tokens", string.Join(' ', t))),
        Gen.Int[0, 200].Select(cut => HostileRequest.Document("truncated route", Cut("{ route(input: {userId: \"u\", query: \"What is 2+2?\", costWeight: 0.1}) { decisionId model ranking { model score } } }", cut))),
        Gen.Int[0, 200].Select(cut => HostileRequest.Document("truncated feedback", Cut("mutation { submitFeedback(input: {idempotencyKey: \"k\", userId: \"u\", query: \"q\", responses: [{model: \"gpt-4-1106-preview\", rating: 99}]}) { accepted } }", cut))),
        Gen.Int[16, 400].Select(d => HostileRequest.Document("deep selection", string.Concat(Enumerable.Repeat("{ a ", d)) + string.Concat(Enumerable.Repeat("}", d)))),
        Gen.Int[16, 400].Select(d => HostileRequest.Document("deep list literal", "{ route(input: {userId: \"u\", query: \"q\", candidates: " + new string('[', d) + new string(']', d) + "}) { model } }")),
        Gen.Int[5, 60].Select(d => HostileRequest.Document("deep introspection", "{ __schema { types { " + string.Concat(Enumerable.Repeat("fields { type { ofType { ", d)) + "name" + string.Concat(Enumerable.Repeat(" } } }", d)) + " } } }")),
        Gen.OneOf("{ nope }", "{ route(input: {userId: \"u\", query: \"q\"}) { nope } }", "mutation { nope }", "subscription { route }", "{ models { name price } }",
            "query A { models { name } } query A { models { name } }", "query { models { name } } query B { models { name } }", "fragment F on Query { models { name } }",
            "{ route(input: {userId: \"u\", query: \"q\", zzz: 1}) { model } }", "{ user { id } }", "{ trainingRuns(last: 0) { id } }", "{ trainingRuns(last: 99999999999) { id } }")
            .Select(q => HostileRequest.Document("unknown or invalid fields", q)),
        Gen.Int[31, 600].Select(n => HostileRequest.Document("many aliases", "{ " + string.Join(' ', Enumerable.Range(0, n).Select(i => $"a{i}: __typename")) + " }")),
        Gen.Int[17_000, 200_000].Select(n => HostileRequest.Document("huge document", "{ route(input: {userId: \"u\", query: \"" + new string('q', n) + "\"}) { model } }")),
        Gen.Int[1, 30].Select(n => HostileRequest.Document("aliased routes of a huge variable", "query($q: String!) { " + string.Join(' ', Enumerable.Range(0, n).Select(i => $"r{i}: route(input: {{userId: \"u\", query: $q}}) {{ model }}")) + " }",
            "{\"q\":" + Quote(new string('q', 33_000)) + "}")));

    /// <summary>route and submitFeedback with hostile variables, and variables of the wrong shape.</summary>
    public static readonly Gen<HostileRequest> BadVariables = Gen.OneOf(
        BadFeedbackInput.Select(input => HostileRequest.Document("feedback variables", Feedback, $"{{\"input\":{input}}}")),
        BadRouteInput.Select(input => HostileRequest.Document("route variables", Route, $"{{\"input\":{input}}}")),
        Gen.OneOf("1", "\"x\"", "[]", "null", "true", "{}", "{\"input\":null}", "{\"input\":[]}", "{\"input\":\"{}\"}", "{\"input\":{\"userId\":{}}}", "{\"wrong\":1}")
            .Select(v => HostileRequest.Document("wrong-typed variables", Feedback, v)),
        Gen.Int[65, 400].Select(d => HostileRequest.Document("deep variables", Route, "{\"input\":" + string.Concat(Enumerable.Repeat("{\"a\":", d)) + "1" + new string('}', d) + "}")));

    /// <summary>Bodies that are not UTF-8, not JSON or cut short, and wrong methods, content types and Accept headers.</summary>
    public static readonly Gen<HostileRequest> BadTransport = Gen.OneOf(
        Gen.Select(Gen.Int[0, 120], Gen.Byte[0x80, 0xFF].Array[1, 4]).Select((at, bytes) => InvalidUtf8(at, bytes)),
        Gen.Int[0, 150].Select(cut => new HostileRequest("truncated JSON", "POST",
            Encoding.UTF8.GetBytes(Cut("{\"query\":\"mutation($input: FeedbackInput!) { submitFeedback(input: $input) { accepted } }\",\"variables\":{\"input\":{\"idempotencyKey\":\"k\"}}}", cut)),
            "application/json", HostileRequest.GraphQLResponseJson)),
        Gen.Byte.Array[0, 200].Select(bytes => new HostileRequest("random bytes", "POST", bytes, "application/json", HostileRequest.GraphQLResponseJson)),
        Gen.OneOf("text/plain", "application/graphql", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=latin1",
            "application/json; charset=utf-16", "application/jsonx", ";;;", "application/json; charset=", "")
            .Select(ct => new HostileRequest("wrong content type", "POST", Encoding.UTF8.GetBytes("{\"query\":\"{ __typename }\"}"), ct, HostileRequest.GraphQLResponseJson)),
        Gen.OneOf("text/html", "application/xml", "image/png", "application/json; charset=latin1", "*/*;q=0", "application/graphql-response+json;q=0")
            .Select(accept => new HostileRequest("wrong accept", "POST", Encoding.UTF8.GetBytes("{\"query\":\"{ __typename }\"}"), "application/json", accept)),
        Gen.OneOf("PUT", "DELETE", "PATCH", "OPTIONS", "FOO")
            .Select(method => new HostileRequest("wrong method", method, Encoding.UTF8.GetBytes("{\"query\":\"{ __typename }\"}"), "application/json", HostileRequest.GraphQLResponseJson)),
        Gen.OneOf(
            "?query=" + Uri.EscapeDataString("mutation { submitFeedback(input: {idempotencyKey: \"k\", userId: \"u\", query: \"q\", responses: []}) { accepted } }"),
            "?query=" + Uri.EscapeDataString("{ nope }"), "?query=%FF%FE", "?query=a&query=b", "?query={models{name}}&variables=%7B", "?variables={}", "?query=" + new string('{', 5000),
            "?query=" + Uri.EscapeDataString("query($i: RouteInput!) { route(input: $i) { model } }") + "&variables=" + Uri.EscapeDataString("{\"i\":{\"userId\":\"u\",\"query\":\"\\u0000\"}}"))
            .Select(qs => new HostileRequest("hostile GET", "GET", null, null, HostileRequest.GraphQLResponseJson, qs)));

    private static HostileRequest InvalidUtf8(int at, byte[] bytes)
    {
        var valid = Encoding.UTF8.GetBytes("{\"query\":\"mutation($input: FeedbackInput!) { submitFeedback(input: $input) { accepted } }\",\"variables\":{\"input\":{\"idempotencyKey\":\"k-utf8\",\"userId\":\"u\",\"query\":\"q\",\"responses\":[{\"model\":\"gpt-4-1106-preview\",\"rating\":5}]}}}");
        var position = Math.Min(at, valid.Length);
        // Inside the user id's string when `at` lands there: the one place that would otherwise make a valid feedback.
        // 0xFF never occurs in UTF-8, so the body is invalid whatever the random bytes happen to form.
        bytes = [.. bytes, 0xFF];
        var body = valid[..position].Concat(bytes).Concat(valid[position..]).ToArray();
        var userId = Encoding.UTF8.GetBytes("\"userId\":\"u");
        var inUserId = body.AsSpan().IndexOf(userId) is var i and >= 0 ? i + userId.Length : -1;
        if (inUserId >= 0)
        {
            body = body[..inUserId].Concat(bytes).Concat(body[inUserId..]).ToArray();
        }

        return new HostileRequest("invalid UTF-8", "POST", body, "application/json", HostileRequest.GraphQLResponseJson);
    }

    private static string Cut(string text, int at) => text[..Math.Min(at, text.Length - 1)];

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
