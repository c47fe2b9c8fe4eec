using System.Net;
using System.Text;
using System.Text.Json;
using GraphRouter.Api.Errors;
using GraphRouter.Api.Http;
using GraphRouter.Api.Tests.Support;

namespace GraphRouter.Api.Tests;

/// <summary>The request limits with their default values: each refuses with its own status and code, before any resolver runs.</summary>
[Collection(SharedApiHost.Name)]
public sealed class LimitTests(ApiHost host)
{
    private static readonly GraphQLLimits Defaults = new();

    private HttpClient Client => host.Client;

    [Fact]
    public async Task Graphiql_full_introspection_query_fits_the_default_limits()
    {
        var query = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "full-introspection.graphql"));

        var call = await GraphQLCall.PostQueryAsync(Client, query);

        call.AssertStatus(HttpStatusCode.OK);
        Assert.False(call.Body.TryGetProperty("errors", out var errors), errors.ToString());
        var types = call.Body.GetProperty("data").GetProperty("__schema").GetProperty("types").EnumerateArray()
            .Select(type => type.GetProperty("name").GetString()).ToList();
        Assert.Contains("RouteDecision", types);
        Assert.Contains("FeedbackInput", types);
    }

    [Fact]
    public async Task Too_deep_is_400_query_too_deep()
    {
        // __type > fields > type > ofType x (depth) ... : one level past the default limit.
        var nested = new StringBuilder("{ __type(name: \"Query\") { fields { type { ");
        var levels = Defaults.MaxDepth - 3;
        for (var i = 0; i < levels; i++)
        {
            nested.Append("ofType { ");
        }

        nested.Append("name").Append(new string('}', levels + 3)).Append(" }");

        var call = await GraphQLCall.PostQueryAsync(Client, nested.ToString());

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(ApiErrorCode.QueryTooDeep, call.ErrorCode);
        Assert.Contains($"at most {Defaults.MaxDepth}", call.ErrorMessage, StringComparison.Ordinal);
        Assert.False(call.HasData);
    }

    [Fact]
    public async Task At_the_depth_limit_executes()
    {
        var nested = new StringBuilder("{ __type(name: \"Query\") { fields { type { ");
        var levels = Defaults.MaxDepth - 4;
        for (var i = 0; i < levels; i++)
        {
            nested.Append("ofType { ");
        }

        nested.Append("name").Append(new string('}', levels + 3)).Append(" }");

        var call = await GraphQLCall.PostQueryAsync(Client, nested.ToString());

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.True(call.HasData);
    }

    [Fact]
    public async Task Too_complex_is_400_query_too_complex_before_the_resolver_runs()
    {
        // trainingRuns(last: N) multiplies its selection by N.
        var call = await GraphQLCall.PostQueryAsync(Client, "{ trainingRuns(last: 1000) { id status progress created error } }");

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(ApiErrorCode.QueryTooComplex, call.ErrorCode);
        Assert.Contains($"at most {Defaults.MaxComplexity}", call.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complexity_is_checked_again_when_a_cached_document_gets_new_variables()
    {
        // The first request runs (trainingRuns is skipped, so no resolver is reached) and caches the document;
        // the second one reuses it with variables that make it far too complex.
        const string query = "query Runs($n: Int, $skip: Boolean!) { __typename trainingRuns(last: $n) @skip(if: $skip) { id status progress created error } }";
        var first = await GraphQLCall.PostQueryAsync(Client, query, new { n = 1, skip = true });
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("Query", first.Body.GetProperty("data").GetProperty("__typename").GetString());

        var second = await GraphQLCall.PostQueryAsync(Client, query, new { n = 100_000, skip = false });

        Assert.Equal(HttpStatusCode.BadRequest, second.Status);
        Assert.Equal(ApiErrorCode.QueryTooComplex, second.ErrorCode);
    }

    [Fact]
    public async Task Too_many_aliases_is_400_too_many_aliases()
    {
        var fields = string.Join(" ", Enumerable.Range(0, Defaults.MaxAliases + 1).Select(i => $"a{i}: __typename"));

        var call = await GraphQLCall.PostQueryAsync(Client, "{ " + fields + " }");

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(ApiErrorCode.TooManyAliases, call.ErrorCode);
    }

    [Fact]
    public async Task Aliases_up_to_the_limit_execute()
    {
        var fields = string.Join(" ", Enumerable.Range(0, Defaults.MaxAliases).Select(i => $"a{i}: __typename"));

        var call = await GraphQLCall.PostQueryAsync(Client, "{ " + fields + " }");

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal("Query", call.Body.GetProperty("data").GetProperty($"a{Defaults.MaxAliases - 1}").GetString());
    }

    [Fact]
    public async Task Too_long_query_is_400_query_too_long()
    {
        var query = "{ __typename }" + new string(' ', Defaults.MaxQueryLength);

        var call = await GraphQLCall.PostQueryAsync(Client, query);

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(ApiErrorCode.QueryTooLong, call.ErrorCode);
    }

    [Fact]
    public async Task Body_over_the_limit_is_413_request_too_large()
    {
        var padding = new string('x', (int)Defaults.MaxRequestBodyBytes);
        var body = JsonSerializer.Serialize(new { query = "{ __typename }", variables = new { padding } });

        var call = await GraphQLCall.PostAsync(Client, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, call.Status);
        Assert.Equal(ApiErrorCode.RequestTooLarge, call.ErrorCode);
    }

    [Fact]
    public async Task Chunked_body_over_the_limit_is_413_request_too_large()
    {
        var padding = new string('x', (int)Defaults.MaxRequestBodyBytes);
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { query = "{ __typename }", variables = new { padding } }));
        var content = new StreamContent(new MemoryStream(bytes));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var call = await GraphQLCall.SendAsync(Client, request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, call.Status);
        Assert.Equal(ApiErrorCode.RequestTooLarge, call.ErrorCode);
    }

    [Fact]
    public async Task Body_just_under_the_limit_executes()
    {
        var envelope = JsonSerializer.Serialize(new { query = "{ __typename }", extensions = new { padding = "" } });
        var padding = new string('x', (int)Defaults.MaxRequestBodyBytes - Encoding.UTF8.GetByteCount(envelope));
        var body = JsonSerializer.Serialize(new { query = "{ __typename }", extensions = new { padding } });
        Assert.Equal(Defaults.MaxRequestBodyBytes, Encoding.UTF8.GetByteCount(body));

        var call = await GraphQLCall.PostAsync(Client, body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal("Query", call.Body.GetProperty("data").GetProperty("__typename").GetString());
    }

    [Fact]
    public void Out_of_range_limits_are_refused_with_every_problem_listed()
    {
        var limits = new GraphQLLimits { MaxDepth = 0, MaxComplexity = 0, MaxQueryLength = 3 };

        var problems = limits.Problems();

        Assert.Equal(3, problems.Count);
        var error = Assert.Throws<ArgumentException>(() => new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddGraphRouterApi(limits));
        Assert.Contains("MaxDepth", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxComplexity", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxQueryLength", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nesting_past_the_parser_depth_is_400_query_too_deep_not_a_server_error()
    {
        // Deep enough that the parser itself gives up, before any validation rule sees the document.
        var query = string.Concat(Enumerable.Repeat("{ a ", 300)) + new string('}', 300);

        var call = await GraphQLCall.PostQueryAsync(Client, query);

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(ApiErrorCode.QueryTooDeep, call.ErrorCode);
        Assert.Contains($"at most {Defaults.MaxDepth}", call.ErrorMessage, StringComparison.Ordinal);
        Assert.False(call.HasData);
    }

    [Theory]
    [InlineData("{ \"query\": \"query($q: String!) { __type(name: $q) { name } }\", \"variables\": { \"q\": \"a\\u0000b\" } }", ApiErrorCode.BadUserInput, "NUL")]
    [InlineData("{ \"query\": \"query($q: String!) { __type(name: $q) { name } }\", \"variables\": { \"q\": \"a\\ud800b\" } }", ApiErrorCode.BadRequest, "surrogate")]
    [InlineData("{ \"query\": \"{ __type(name: \\\"a\\\\u0000b\\\") { name } }\" }", ApiErrorCode.BadUserInput, "NUL")]
    public async Task Nul_or_unpaired_surrogate_text_is_400_not_a_server_error(string body, string code, string mentioned)
    {
        var call = await GraphQLCall.PostAsync(Client, body);

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        // JSON text escaping an unpaired surrogate does not decode: a bad request; a NUL decodes, and is bad input.
        Assert.Equal(code, call.ErrorCode);
        Assert.Contains(mentioned, call.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_subscription_is_400_validation_failed_not_a_server_error()
    {
        var call = await GraphQLCall.PostQueryAsync(Client, "subscription { route }");

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(ApiErrorCode.ValidationFailed, call.ErrorCode);
        Assert.False(call.HasData);
    }

    [Fact]
    public async Task Introspection_walking_the_type_graph_in_circles_is_400_query_too_deep()
    {
        var call = await GraphQLCall.PostQueryAsync(Client, "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }");

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(ApiErrorCode.QueryTooDeep, call.ErrorCode);
        Assert.Contains("Introspection", call.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Full_introspection_repeated_by_an_alias_is_400_query_too_complex()
    {
        var fixture = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "full-introspection.graphql"));
        var fragments = fixture[fixture.IndexOf("fragment TypeDetails", StringComparison.Ordinal)..];
        var once = "query Once { __schema { types { ...TypeDetails } } }\n" + fragments;
        var twice = "query Twice { __schema { types { ...TypeDetails } } again: __schema { types { ...TypeDetails } } }\n" + fragments;

        var single = await GraphQLCall.PostQueryAsync(Client, once);
        var repeated = await GraphQLCall.PostQueryAsync(Client, twice);

        single.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.BadRequest, repeated.Status);
        Assert.Equal(ApiErrorCode.QueryTooComplex, repeated.ErrorCode);
    }
}
