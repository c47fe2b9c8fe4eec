using System.Net;
using System.Text;
using GraphRouter.Api.Errors;
using GraphRouter.Api.Tests.Support;

namespace GraphRouter.Api.Tests;

/// <summary>The GraphQL-over-HTTP protocol at /graphql, through real Kestrel: methods, media types, status codes, error codes.</summary>
[Collection(SharedApiHost.Name)]
public sealed class GraphQLOverHttpTests(ApiHost host)
{
    private HttpClient Client => host.Client;

    [Fact]
    public async Task Post_typename_executes_and_answers_graphql_response_json()
    {
        var call = await GraphQLCall.PostQueryAsync(Client, "{ __typename }");

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal(GraphQLCall.GraphQLResponseJson, call.MediaType);
        Assert.Equal("utf-8", call.Charset);
        Assert.Equal("Query", call.Body.GetProperty("data").GetProperty("__typename").GetString());
        Assert.False(call.Body.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task Get_typename_executes()
    {
        var call = await GraphQLCall.GetAsync(Client, "{ __typename }");

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal(GraphQLCall.GraphQLResponseJson, call.MediaType);
        Assert.Equal("Query", call.Body.GetProperty("data").GetProperty("__typename").GetString());
    }

    [Fact]
    public async Task Get_selects_the_named_query_and_passes_variables()
    {
        const string document = "query A { __typename } query B($name: String!) { __type(name: $name) { name kind } }";
        var call = await GraphQLCall.GetAsync(Client, document, variables: """{"name":"RouteDecision"}""", operationName: "B");

        Assert.Equal(HttpStatusCode.OK, call.Status);
        var type = call.Body.GetProperty("data").GetProperty("__type");
        Assert.Equal("RouteDecision", type.GetProperty("name").GetString());
        Assert.Equal("OBJECT", type.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Mutation_over_get_is_405_with_allow_post_and_is_not_executed()
    {
        var call = await GraphQLCall.GetAsync(Client, "mutation { rollbackPolicy { version } }");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, call.Status);
        Assert.Equal("POST", Assert.Single(call.ContentHeaders.Allow));
        Assert.Equal(ApiErrorCode.MethodNotAllowed, call.ErrorCode);
        Assert.False(call.HasData);
    }

    [Fact]
    public async Task Get_of_a_document_whose_selected_operation_is_a_mutation_is_405()
    {
        var call = await GraphQLCall.GetAsync(Client, "query Q { __typename } mutation M { rollbackPolicy { version } }", operationName: "M");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, call.Status);
        Assert.Equal(ApiErrorCode.MethodNotAllowed, call.ErrorCode);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Other_methods_are_405_with_allow_get_post(string method)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), "/graphql")
        {
            Content = new StringContent("""{"query":"{ __typename }"}""", Encoding.UTF8, "application/json"),
        };
        var call = await GraphQLCall.SendAsync(Client, request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, call.Status);
        Assert.Equal(["GET", "POST"], call.ContentHeaders.Allow.Order());
        Assert.Equal(ApiErrorCode.MethodNotAllowed, call.ErrorCode);
    }

    [Theory]
    [InlineData(null, GraphQLCall.GraphQLResponseJson)]
    [InlineData("*/*", GraphQLCall.GraphQLResponseJson)]
    [InlineData("application/*", GraphQLCall.GraphQLResponseJson)]
    [InlineData("application/graphql-response+json", GraphQLCall.GraphQLResponseJson)]
    [InlineData("application/json", "application/json")]
    [InlineData("application/json; charset=utf-8", "application/json")]
    [InlineData("application/graphql-response+json, application/json;q=0.9", GraphQLCall.GraphQLResponseJson)]
    [InlineData("application/graphql-response+json;q=0.5, application/json", "application/json")]
    [InlineData("text/html, application/json;q=0.8, */*;q=0.1", "application/json")]
    [InlineData("application/json, multipart/mixed", "application/json")]
    public async Task Accept_header_picks_the_response_media_type(string? accept, string expected)
    {
        var call = await GraphQLCall.PostQueryAsync(Client, "{ __typename }", accept: accept);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal(expected, call.MediaType);
        Assert.Equal("Query", call.Body.GetProperty("data").GetProperty("__typename").GetString());
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/xml, text/plain;q=0.5")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/graphql-response+json;q=0, application/json;q=0")]
    public async Task Unacceptable_accept_header_is_406(string accept)
    {
        var call = await GraphQLCall.PostQueryAsync(Client, "{ __typename }", accept: accept);

        Assert.Equal(HttpStatusCode.NotAcceptable, call.Status);
        Assert.Equal(ApiErrorCode.NotAcceptable, call.ErrorCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/graphql")]
    [InlineData("application/json; charset=latin1")]
    public async Task Post_with_an_unsupported_content_type_is_415(string contentType)
    {
        var call = await GraphQLCall.PostAsync(Client, """{"query":"{ __typename }"}""", contentType: contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, call.Status);
        Assert.Equal(ApiErrorCode.UnsupportedMediaType, call.ErrorCode);
    }

    [Fact]
    public async Task Post_without_a_content_type_is_415()
    {
        var call = await GraphQLCall.PostAsync(Client, """{"query":"{ __typename }"}""", contentType: null);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, call.Status);
        Assert.Equal(ApiErrorCode.UnsupportedMediaType, call.ErrorCode);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{\"query\": ", "not valid JSON")]
    [InlineData("{query: '{ __typename }'}", "not valid JSON")]
    [InlineData("[{\"query\":\"{ __typename }\"}]", "Batched requests are not supported")]
    [InlineData("\"{ __typename }\"", "must be a JSON object")]
    [InlineData("{}", "no 'query'")]
    [InlineData("{\"query\": null}", "no 'query'")]
    [InlineData("{\"query\": 42}", "'query' must be a string; got a number")]
    [InlineData("{\"query\": {\"a\":1}}", "'query' must be a string; got an object")]
    [InlineData("{\"query\": \"{ __typename }\", \"operationName\": true}", "'operationName' must be a string; got a boolean")]
    [InlineData("{\"query\": \"{ __typename }\", \"variables\": \"{}\"}", "'variables' must be a JSON object; got a string")]
    [InlineData("{\"query\": \"{ __typename }\", \"variables\": [1]}", "'variables' must be a JSON object; got an array")]
    [InlineData("{\"query\": \"{ __typename }\", \"extensions\": 3}", "'extensions' must be a JSON object; got a number")]
    [InlineData("{\"query\": \"{ __typename }\", \"variables\": {\"a\":1,\"a\":2}}", "'variables' is not a valid JSON object")]
    [InlineData("{\"query\": \"{ __typename }\"} {}", "not valid JSON")]
    public async Task Malformed_request_bodies_are_400_bad_request_without_data(string body, string messagePart)
    {
        foreach (var accept in new[] { GraphQLCall.GraphQLResponseJson, "application/json" })
        {
            var call = await GraphQLCall.PostAsync(Client, body, accept: accept);

            Assert.Equal(HttpStatusCode.BadRequest, call.Status);
            Assert.Equal(accept, call.MediaType);
            Assert.Equal(ApiErrorCode.BadRequest, call.ErrorCode);
            Assert.Contains(messagePart, call.ErrorMessage, StringComparison.Ordinal);
            Assert.False(call.HasData);
        }
    }

    [Fact]
    public async Task Null_operation_name_variables_and_extensions_are_allowed()
    {
        var call = await GraphQLCall.PostAsync(Client, """{"query":"{ __typename }","operationName":null,"variables":null,"extensions":null}""");

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal("Query", call.Body.GetProperty("data").GetProperty("__typename").GetString());
    }

    [Fact]
    public async Task Get_with_malformed_variables_is_400()
    {
        var call = await GraphQLCall.GetAsync(Client, "{ __typename }", variables: "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(ApiErrorCode.BadRequest, call.ErrorCode);
    }

    [Fact]
    public async Task Get_without_query_is_400()
    {
        var call = await GraphQLCall.SendAsync(Client, new HttpRequestMessage(HttpMethod.Get, "/graphql"));

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(ApiErrorCode.BadRequest, call.ErrorCode);
    }

    [Fact]
    public async Task Parse_error_is_400_graphql_parse_failed_with_its_location()
    {
        var call = await GraphQLCall.PostQueryAsync(Client, "{ __typename ");

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(GraphQLCall.GraphQLResponseJson, call.MediaType);
        Assert.Equal(ApiErrorCode.ParseFailed, call.ErrorCode);
        Assert.True(call.Body.GetProperty("errors")[0].TryGetProperty("locations", out _));
        Assert.False(call.HasData);
    }

    [Fact]
    public async Task Parse_error_for_a_legacy_json_client_is_200_without_data()
    {
        var call = await GraphQLCall.PostQueryAsync(Client, "{ __typename ", accept: "application/json");

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal("application/json", call.MediaType);
        Assert.Equal(ApiErrorCode.ParseFailed, call.ErrorCode);
        Assert.False(call.HasData);
    }

    [Theory]
    [InlineData("{ noSuchField }")]
    [InlineData("{ route { model } }")]
    [InlineData("{ models }")]
    [InlineData("query Q($unused: Int) { __typename }")]
    [InlineData("subscription { __typename }")]
    public async Task Validation_errors_are_400_graphql_validation_failed_and_never_execute(string query)
    {
        var call = await GraphQLCall.PostQueryAsync(Client, query);

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(ApiErrorCode.ValidationFailed, call.ErrorCode);
        Assert.False(call.HasData);
    }

    [Fact]
    public async Task Validation_error_for_a_legacy_json_client_is_200()
    {
        var call = await GraphQLCall.PostQueryAsync(Client, "{ noSuchField }", accept: "application/json");

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal(ApiErrorCode.ValidationFailed, call.ErrorCode);
        Assert.False(call.HasData);
    }

    [Fact]
    public async Task Argument_literal_of_the_wrong_type_is_bad_user_input()
    {
        var call = await GraphQLCall.PostQueryAsync(Client, """{ trainingRuns(last: "ten") { id } }""");

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(ApiErrorCode.BadUserInput, call.ErrorCode);
        Assert.False(call.HasData);
    }

    [Fact]
    public async Task Input_object_literal_with_a_wrong_field_type_is_bad_user_input()
    {
        var call = await GraphQLCall.PostQueryAsync(Client, """{ route(input: { userId: "u", query: 12 }) { model } }""");

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(ApiErrorCode.BadUserInput, call.ErrorCode);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"input": {"userId": "u"}}""")]
    [InlineData("""{"input": {"userId": "u", "query": "q", "costWeight": "high"}}""")]
    [InlineData("""{"input": {"userId": true, "query": "q"}}""")]
    [InlineData("""{"input": {"userId": "u", "query": "q", "candidates": [1, 2]}}""")]
    [InlineData("""{"input": {"userId": "u", "query": "q", "unknownField": 1}}""")]
    public async Task Variables_that_do_not_coerce_are_400_bad_user_input_and_never_reach_the_service(string variables)
    {
        const string query = "query Route($input: RouteInput!) { route(input: $input) { model } }";
        var call = await GraphQLCall.PostAsync(Client, $$"""{"query": "{{query}}", "variables": {{variables}} }""");

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(ApiErrorCode.BadUserInput, call.ErrorCode);
        Assert.False(call.HasData);
    }

    [Theory]
    [InlineData("""{"query": "query A { __typename } query B { __typename }"}""")]
    [InlineData("""{"query": "query A { __typename }", "operationName": "B"}""")]
    [InlineData("""{"query": "fragment F on Query { __typename }"}""")]
    public async Task Undeterminable_operation_is_400_operation_resolution_failure(string body)
    {
        var call = await GraphQLCall.PostAsync(Client, body);

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(ApiErrorCode.OperationResolutionFailure, call.ErrorCode);
    }

    [Fact]
    public async Task Introspection_lists_the_contract_root_fields()
    {
        var call = await GraphQLCall.PostQueryAsync(Client, "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }");

        Assert.Equal(HttpStatusCode.OK, call.Status);
        var schema = call.Body.GetProperty("data").GetProperty("__schema");
        var queries = schema.GetProperty("queryType").GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToHashSet();
        var mutations = schema.GetProperty("mutationType").GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "route", "models", "user", "policy", "policies", "trainingRuns" }, queries);
        Assert.Superset(new HashSet<string?> { "submitFeedback", "registerModel", "setModelAvailability", "startTraining", "activatePolicy", "rollbackPolicy" }, mutations);
    }
}
