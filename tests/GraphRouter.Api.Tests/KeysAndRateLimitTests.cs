using System.Net;
using GraphRouter.Api.Errors;
using GraphRouter.Api.Http;
using GraphRouter.Api.Schema;
using GraphRouter.Api.Security;
using GraphRouter.Api.Tests.Support;
using GraphRouter.Storage.ApiKeys;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GraphRouter.Api.Tests;

/// <summary>Per-key and per-address rate limits, the key cache, the role table and the refusal of a host that could not check keys.</summary>
[Collection(SharedApiHost.Name)]
public sealed class KeysAndRateLimitTests(ApiHost host)
{
    /// <summary>A limit that never refills during a test (one hour), so counts are exact whatever the machine's speed.</summary>
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private async Task<(WebApplication App, Uri Address)> StartAsync(ApiSecurityOptions security, TimeProvider? time = null) =>
        await ApiHost.StartAsync(new GraphRouterServerOptions { Security = security }, services =>
        {
            services.AddSingleton(host.KeyStore);
            if (time is not null)
            {
                services.AddSingleton(time);
            }
        });

    [Fact]
    public async Task A_key_over_its_limit_gets_429_with_retry_after_and_other_keys_are_not_affected()
    {
        var (app, address) = await StartAsync(new ApiSecurityOptions { PerKeyRateLimit = new RateLimitSettings(3, Hour) });
        await using var _ = app;
        using var busy = TestKeys.Client(address, await TestKeys.CreateAsync(host.KeyStore, ApiKeyRole.App));
        using var quiet = TestKeys.Client(address, await TestKeys.CreateAsync(host.KeyStore, ApiKeyRole.App));

        var granted = new List<GraphQLCall>();
        for (var i = 0; i < 3; i++)
        {
            granted.Add(await GraphQLCall.PostQueryAsync(busy, "{ __typename }"));
        }
        var refused = await GraphQLCall.PostQueryAsync(busy, "{ __typename }");
        var other = await GraphQLCall.PostQueryAsync(quiet, "{ __typename }");

        Assert.All(granted, call => call.AssertStatus(HttpStatusCode.OK));
        refused.AssertStatus(HttpStatusCode.TooManyRequests);
        Assert.Equal(ApiErrorCode.RateLimited, refused.ErrorCode);
        Assert.False(refused.HasData);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), Hour);
        other.AssertStatus(HttpStatusCode.OK);
        await app.StopAsync();
    }

    [Fact]
    public async Task Requests_without_a_valid_key_are_limited_per_address()
    {
        var (app, address) = await StartAsync(new ApiSecurityOptions { AnonymousRateLimit = new RateLimitSettings(2, Hour) });
        await using var _ = app;
        using var anonymous = new HttpClient { BaseAddress = address };
        using var guesser = TestKeys.Client(address, ApiKeySecret.Generate());
        using var valid = TestKeys.Client(address, host.AdminKey);

        var first = await GraphQLCall.PostQueryAsync(anonymous, "{ __typename }");
        var second = await GraphQLCall.PostQueryAsync(guesser, "{ __typename }");
        var third = await GraphQLCall.PostQueryAsync(anonymous, "{ __typename }");
        var withKey = await GraphQLCall.PostQueryAsync(valid, "{ __typename }");

        first.AssertStatus(HttpStatusCode.Unauthorized);
        second.AssertStatus(HttpStatusCode.Unauthorized);
        third.AssertStatus(HttpStatusCode.TooManyRequests);
        Assert.Equal(ApiErrorCode.RateLimited, third.ErrorCode);
        Assert.NotNull(third.Headers.RetryAfter?.Delta);
        withKey.AssertStatus(HttpStatusCode.OK);
        await app.StopAsync();
    }

    [Fact]
    public async Task A_revocation_applies_once_the_cached_key_expires()
    {
        var clock = new ManualClock(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var (app, address) = await StartAsync(new ApiSecurityOptions { KeyCacheDuration = TimeSpan.FromSeconds(10) }, clock);
        await using var _ = app;
        var name = "cached-" + Guid.NewGuid().ToString("N")[..8];
        using var client = TestKeys.Client(address, await TestKeys.CreateAsync(host.KeyStore, ApiKeyRole.App, name));

        var before = await GraphQLCall.PostQueryAsync(client, "{ __typename }");
        await host.KeyStore.RevokeApiKeyAsync(name);
        clock.Now += TimeSpan.FromSeconds(9);
        var stillCached = await GraphQLCall.PostQueryAsync(client, "{ __typename }");
        clock.Now += TimeSpan.FromSeconds(2);
        var expired = await GraphQLCall.PostQueryAsync(client, "{ __typename }");

        before.AssertStatus(HttpStatusCode.OK);
        stillCached.AssertStatus(HttpStatusCode.OK);
        expired.AssertStatus(HttpStatusCode.Unauthorized);
        await app.StopAsync();
    }

    [Fact]
    public void The_role_table_classifies_every_root_field_of_the_schema()
    {
        var schema = RouterSchema.Create();
        schema.Initialize();

        Assert.Equal(schema.Query.Fields.Select(f => f.Name).Order(StringComparer.Ordinal), OperationRoles.Query.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(schema.Mutation!.Fields.Select(f => f.Name).Order(StringComparer.Ordinal), OperationRoles.Mutation.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["models", "policy", "route", "user"], OperationRoles.Query.Where(f => f.Value == ApiKeyRole.App).Select(f => f.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["submitFeedback"], OperationRoles.Mutation.Where(f => f.Value == ApiKeyRole.App).Select(f => f.Key));
    }

    [Fact]
    public void A_host_that_requires_keys_without_a_store_to_read_them_from_is_refused_at_build()
    {
        var error = Assert.Throws<InvalidOperationException>(() => GraphRouterServer.Build(new GraphRouterServerOptions { Urls = ["http://127.0.0.1:0"], ConsoleLogging = false }, _ => { }));

        Assert.Contains("IGraphStore", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_are_generated_random_with_a_recognisable_prefix()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => ApiKeySecret.Generate()).ToList();

        Assert.Equal(100, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, key => Assert.Matches("^gr_[A-Za-z0-9_-]{43}$", key));
        Assert.All(keys, key => Assert.True(ApiKeySecret.IsWellFormed(key)));
        Assert.False(ApiKeySecret.IsWellFormed(keys[0].AsSpan(0, keys[0].Length - 1)));
        Assert.False(ApiKeySecret.IsWellFormed(string.Concat("xx", keys[0].AsSpan(2))));
        Assert.Equal(64, ApiKeySecret.Hash(keys[0]).Length);
        var stored = await host.KeyStore.FindApiKeyAsync(ApiKeySecret.Hash(host.AdminKey));
        Assert.Equal(ApiKeyRole.Admin, stored!.Role);
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
