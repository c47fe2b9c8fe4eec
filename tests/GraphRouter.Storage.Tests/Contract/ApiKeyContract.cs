using System.Security.Cryptography;
using System.Text;
using GraphRouter.Storage.ApiKeys;
using GraphRouter.Storage.Tenancy;
using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Storage.Tests.Contract;

/// <summary>API keys on every backend (migration 0007): stored by hash only, names unique among live keys, the first key created once, revocation kept.</summary>
public abstract class ApiKeyContract
{
    private static readonly DateTimeOffset T0 = new(2027, 6, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly StoreFixture _fixture;

    protected ApiKeyContract(StoreFixture fixture) => _fixture = fixture;

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static ApiKeyRegistration Key(string name, ApiKeyRole role, string secret, string tenant = Tenants.Default) =>
        new() { Name = name, Role = role, Tenant = tenant, SecretHash = Hash(secret) };

    [StoreFact]
    public async Task A_created_key_is_found_by_its_hash_listed_and_stored_without_its_text()
    {
        var clock = new TestClock(T0);
        var store = await _fixture.CreateEmptyStoreAsync(options: new GraphStoreOptions { Time = clock });

        var app = await store.CreateApiKeyAsync(Key("checkout-app", ApiKeyRole.App, "gr_secret-one"));
        clock.Advance(TimeSpan.FromMinutes(1));
        var admin = await store.CreateApiKeyAsync(Key("ops", ApiKeyRole.Admin, "gr_secret-two"));

        Assert.Matches("^key_[0-9a-f]{12}$", app.Id);
        Assert.NotEqual(app.Id, admin.Id);
        Assert.Equal(new ApiKeyRecord { Id = app.Id, Name = "checkout-app", Role = ApiKeyRole.App, Tenant = Tenants.Default, SecretHash = Hash("gr_secret-one"), Created = T0 }, app);
        Assert.Equal(app, await store.FindApiKeyAsync(Hash("gr_secret-one")));
        Assert.Equal(admin, await store.FindApiKeyAsync(Hash("gr_secret-two")));
        Assert.Null(await store.FindApiKeyAsync(Hash("gr_never-created")));
        Assert.Equal([app, admin], await store.GetApiKeysAsync());
        var rows = await _fixture.ReadAsync(store, "SELECT id, name, role, secret_hash FROM api_keys ORDER BY name");
        Assert.Equal([$"{app.Id}|checkout-app|app|{Hash("gr_secret-one")}", $"{admin.Id}|ops|admin|{Hash("gr_secret-two")}"], rows);
        Assert.DoesNotContain(rows, row => row.Contains("gr_secret", StringComparison.Ordinal));
    }

    [StoreFact]
    public async Task A_name_is_unique_among_live_keys_and_reusable_after_revocation()
    {
        var clock = new TestClock(T0);
        var store = await _fixture.CreateEmptyStoreAsync(options: new GraphStoreOptions { Time = clock });
        var first = await store.CreateApiKeyAsync(Key("app", ApiKeyRole.App, "one"));

        var clash = await Assert.ThrowsAsync<StoreConflictException>(() => store.CreateApiKeyAsync(Key("app", ApiKeyRole.Admin, "two")));
        clock.Advance(TimeSpan.FromSeconds(5));
        var revoked = await store.RevokeApiKeyAsync("app");
        var second = await store.CreateApiKeyAsync(Key("app", ApiKeyRole.Admin, "two"));

        Assert.Contains("'app'", clash.Message, StringComparison.Ordinal);
        Assert.Equal(first with { Revoked = T0.AddSeconds(5) }, revoked);
        Assert.Equal([revoked, second], await store.GetApiKeysAsync());
    }

    [StoreFact]
    public async Task Revocation_by_id_or_name_is_kept_and_repeating_it_changes_nothing()
    {
        var clock = new TestClock(T0);
        var store = await _fixture.CreateEmptyStoreAsync(options: new GraphStoreOptions { Time = clock });
        var a = await store.CreateApiKeyAsync(Key("a", ApiKeyRole.App, "secret-a"));
        var b = await store.CreateApiKeyAsync(Key("b", ApiKeyRole.Admin, "secret-b"));

        clock.Advance(TimeSpan.FromHours(1));
        var byId = await store.RevokeApiKeyAsync(a.Id);
        clock.Advance(TimeSpan.FromHours(1));
        var again = await store.RevokeApiKeyAsync(a.Id);
        var againByName = await store.RevokeApiKeyAsync("a");
        var missing = await Assert.ThrowsAsync<StoreNotFoundException>(() => store.RevokeApiKeyAsync("nobody"));

        Assert.Equal(T0.AddHours(1), byId.Revoked);
        Assert.Equal(byId, again);
        Assert.Equal(byId, againByName);
        Assert.Equal(byId, await store.FindApiKeyAsync(Hash("secret-a")));
        Assert.Equal(b, await store.FindApiKeyAsync(Hash("secret-b")));
        Assert.Equal(StoreNotFoundException.ApiKey, missing.Kind);
        Assert.Equal("API key 'nobody' does not exist", missing.Message);
    }

    [StoreFact]
    public async Task The_first_key_is_created_only_on_a_store_that_never_had_one()
    {
        var store = await _fixture.CreateEmptyStoreAsync();

        var first = await store.CreateFirstApiKeyAsync(Key("admin", ApiKeyRole.Admin, "first"));
        var second = await store.CreateFirstApiKeyAsync(Key("admin-2", ApiKeyRole.Admin, "second"));
        await store.RevokeApiKeyAsync(first!.Id);
        var afterRevocation = await store.CreateFirstApiKeyAsync(Key("admin-3", ApiKeyRole.Admin, "third"));

        Assert.Equal("admin", first.Name);
        Assert.Null(second);
        Assert.Null(afterRevocation);
        Assert.Equal([first.Id], (await store.GetApiKeysAsync()).Select(k => k.Id));
    }

    [StoreFact]
    public async Task Concurrent_first_starts_on_one_store_create_exactly_one_key()
    {
        var store = await _fixture.CreateEmptyStoreAsync();
        var others = new List<IGraphStore>();
        for (var i = 0; i < 4; i++)
        {
            others.Add(await _fixture.OpenAgainAsync(store));
        }

        var created = await Task.WhenAll(others.Select((s, i) => s.CreateFirstApiKeyAsync(Key($"admin-{i}", ApiKeyRole.Admin, $"secret-{i}"))));

        Assert.Single(created, k => k is not null);
        Assert.Single(await store.GetApiKeysAsync());
    }

    [StoreFact]
    public async Task Invalid_registrations_are_refused_and_store_nothing()
    {
        var store = await _fixture.CreateEmptyStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateApiKeyAsync(Key("", ApiKeyRole.App, "x")));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateApiKeyAsync(Key("has space", ApiKeyRole.App, "x")));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateApiKeyAsync(Key("key_0123456789ab", ApiKeyRole.App, "x")));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateApiKeyAsync(Key(new string('n', 65), ApiKeyRole.App, "x")));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateApiKeyAsync(Key("ok", (ApiKeyRole)7, "x")));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateApiKeyAsync(new ApiKeyRegistration { Name = "ok", Role = ApiKeyRole.App, Tenant = Tenants.Default, SecretHash = "gr_plain-text-key" }));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateApiKeyAsync(new ApiKeyRegistration { Name = "ok", Role = ApiKeyRole.App, Tenant = Tenants.Default, SecretHash = Hash("x").ToUpperInvariant() }));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateApiKeyAsync(Key("ok", ApiKeyRole.App, "x", tenant: "acme/eu")));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateApiKeyAsync(Key("ok", ApiKeyRole.App, "x", tenant: "")));
        await store.CreateApiKeyAsync(Key("ok", ApiKeyRole.App, "x"));
        await Assert.ThrowsAsync<StoreConflictException>(() => store.CreateApiKeyAsync(Key("other", ApiKeyRole.App, "x")));

        Assert.Equal(["ok"], (await store.GetApiKeysAsync()).Select(k => k.Name));
    }
}
