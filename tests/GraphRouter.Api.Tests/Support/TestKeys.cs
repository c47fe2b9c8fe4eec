using System.Net.Http.Headers;
using GraphRouter.Api.Security;
using GraphRouter.Storage;
using GraphRouter.Storage.ApiKeys;
using GraphRouter.Storage.Tenancy;

namespace GraphRouter.Api.Tests.Support;

/// <summary>API keys for the test hosts: created in the real store the host reads them from, the way 'graphrouter keys create' does.</summary>
public static class TestKeys
{
    /// <summary>Creates a key with this role in <paramref name="store"/>, of <paramref name="tenant"/> (default: the default tenant), and returns its text.</summary>
    public static async Task<string> CreateAsync(IGraphStore store, ApiKeyRole role, string? name = null, string tenant = Tenants.Default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var key = ApiKeySecret.Generate();
        await store.CreateApiKeyAsync(new ApiKeyRegistration { Name = name ?? $"test-{Guid.NewGuid():N}", Role = role, Tenant = tenant, SecretHash = ApiKeySecret.Hash(key) });
        return key;
    }

    /// <summary>A client of <paramref name="address"/> that sends <paramref name="key"/> as a bearer token on every request.</summary>
    public static HttpClient Client(Uri address, string key)
    {
        var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A migrated SQLite store in its own temp folder, for hosts that need nothing but keys from a store.</summary>
    public static async Task<(IGraphStore Store, string Folder)> OpenKeyStoreAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "graphrouter-keys-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var store = await GraphStoreFactory.OpenAsync(StoreLocation.Parse("sqlite:" + Path.Combine(folder, "keys.db")));
        await store.MigrateAsync();
        return (store, folder);
    }
}
