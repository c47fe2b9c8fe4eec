using System.Net;
using GraphRouter.Api.Errors;
using GraphRouter.Api.Http;
using GraphRouter.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GraphRouter.Api.Tests;

/// <summary>The parsed-document cache: a repeated query is served from it, and cached documents still coerce their variables.</summary>
[Collection(SharedApiHost.Name)]
public sealed class DocumentCacheTests(ApiHost host)
{
    private DocumentCache Cache => host.Services.GetRequiredService<GraphQLHttpEndpoint>().Cache;

    [Fact]
    public async Task A_validated_query_is_cached_once_and_answers_the_same_from_the_cache()
    {
        var query = $"query Cached{Guid.NewGuid():N} {{ __typename }}";

        var first = await GraphQLCall.PostQueryAsync(host.Client, query);
        Assert.True(Cache.TryGet(new DocumentKey(query, null), out var cached));
        Assert.True(cached.Validated);
        var second = await GraphQLCall.PostQueryAsync(host.Client, query);
        Assert.True(Cache.TryGet(new DocumentKey(query, null), out var stillCached));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(first.Body.ToString(), second.Body.ToString());
        Assert.Same(cached.Document, stillCached.Document);
    }

    [Fact]
    public async Task A_document_that_fails_validation_is_not_cached()
    {
        var query = $"query Invalid{Guid.NewGuid():N} {{ noSuchField }}";

        var call = await GraphQLCall.PostQueryAsync(host.Client, query);

        Assert.Equal(ApiErrorCode.ValidationFailed, call.ErrorCode);
        Assert.False(Cache.TryGet(new DocumentKey(query, null), out _));
    }

    [Fact]
    public async Task A_cached_document_still_rejects_variables_that_do_not_coerce()
    {
        var query = $"query TypeByName{Guid.NewGuid():N}($name: String!) {{ __type(name: $name) {{ name }} }}";

        var good = await GraphQLCall.PostQueryAsync(host.Client, query, new { name = "Policy" });
        Assert.True(Cache.TryGet(new DocumentKey(query, null), out _));
        var bad = await GraphQLCall.PostQueryAsync(host.Client, query, new { name = 12 });
        var missing = await GraphQLCall.PostQueryAsync(host.Client, query, new { });

        Assert.Equal("Policy", good.Body.GetProperty("data").GetProperty("__type").GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal(ApiErrorCode.BadUserInput, bad.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal(ApiErrorCode.BadUserInput, missing.ErrorCode);
    }

    [Fact]
    public void A_full_cache_starts_over_instead_of_growing()
    {
        var cache = new DocumentCache(capacity: 2);
        var document = GraphQLParser.Parser.Parse("{ __typename }");
        var operation = new CachedOperation(document, (GraphQLParser.AST.GraphQLOperationDefinition)document.Definitions[0], Validated: true);

        cache.Add(new DocumentKey("a", null), operation);
        cache.Add(new DocumentKey("b", null), operation);
        cache.Add(new DocumentKey("c", null), operation);

        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet(new DocumentKey("c", null), out _));
        Assert.False(cache.TryGet(new DocumentKey("a", null), out _));
    }

    [Fact]
    public void A_cache_of_size_zero_keeps_nothing()
    {
        var cache = new DocumentCache(capacity: 0);
        var document = GraphQLParser.Parser.Parse("{ __typename }");

        cache.Add(new DocumentKey("a", null), new CachedOperation(document, (GraphQLParser.AST.GraphQLOperationDefinition)document.Definitions[0], Validated: true));

        Assert.Equal(0, cache.Count);
    }

    [Theory]
    [InlineData("query Route($input: RouteInput!) { route(input: $input) { model ranking { model } } }", false)]
    [InlineData("{ trainingRuns(last: 3) { id } }", false)]
    [InlineData("query Runs($n: Int) { trainingRuns(last: $n) { id } }", true)]
    [InlineData("query Q($s: Boolean!) { __typename policies @skip(if: $s) { version } }", true)]
    [InlineData("query Q($s: Boolean!) { ...F } fragment F on Query { policies @include(if: $s) { version } }", true)]
    [InlineData("query Q($id: ID!) { user(id: $id) { id } }", true)] // conservative: an 'id' variable is assumed to size a list
    public void Complexity_is_rechecked_only_when_variables_can_change_it(string query, bool expected)
    {
        var document = GraphQLParser.Parser.Parse(query);
        var operation = document.Definitions.OfType<GraphQLParser.AST.GraphQLOperationDefinition>().Single();

        Assert.Equal(expected, new CachedOperation(document, operation, Validated: true).ComplexityDependsOnVariables);
    }
}
