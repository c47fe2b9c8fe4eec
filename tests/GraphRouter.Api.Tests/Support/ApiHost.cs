using GraphRouter.Api;
using GraphRouter.Storage;
using GraphRouter.Storage.ApiKeys;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GraphRouter.Api.Tests.Support;

/// <summary>
/// The real host (<see cref="GraphRouterServer.Build"/>, real Kestrel on a free loopback port) and a real
/// <see cref="HttpClient"/> for it, shared by the tests of the <see cref="SharedApiHost"/>. The API keys live in a real
/// SQLite store of the host's own; <see cref="Client"/> sends an admin key on every request.
/// </summary>
public sealed class ApiHost : IAsyncLifetime
{
    private WebApplication? _app;
    private string? _keyFolder;

    /// <summary>A client that sends <see cref="AdminKey"/>.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The store the host reads API keys from.</summary>
    public IGraphStore KeyStore { get; private set; } = null!;

    /// <summary>An admin key of <see cref="KeyStore"/>.</summary>
    public string AdminKey { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The host has not started.");

    /// <summary>
    /// The protocol tests' host registers no router service: they run only <c>__typename</c>, introspection and
    /// requests that fail before execution, and /readyz must say "not ready" without one. The end-to-end tests
    /// (EndToEnd/EngineHost) start the same host with the real engine over a real store.
    /// </summary>
    public static void RegisterRouterService(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
    }

    /// <summary>Builds and starts a host on a free port with these options (the URL is replaced by 127.0.0.1:0).</summary>
    public static async Task<(WebApplication App, Uri Address)> StartAsync(GraphRouterServerOptions options, Action<IServiceCollection> registerServices)
    {
        var app = GraphRouterServer.Build(options with { Urls = ["http://127.0.0.1:0"], ConsoleLogging = false }, registerServices);
        await app.StartAsync();
        return (app, new Uri(app.Urls.Single()));
    }

    public async Task InitializeAsync()
    {
        (KeyStore, _keyFolder) = await TestKeys.OpenKeyStoreAsync();
        AdminKey = await TestKeys.CreateAsync(KeyStore, ApiKeyRole.Admin, "shared-host-admin");
        (_app, BaseAddress) = await StartAsync(new GraphRouterServerOptions(), services =>
        {
            RegisterRouterService(services);
            services.AddSingleton(KeyStore);
        });
        Client = TestKeys.Client(BaseAddress, AdminKey);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (KeyStore is not null)
        {
            await KeyStore.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            if (_keyFolder is not null)
            {
                Directory.Delete(_keyFolder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedApiHost : ICollectionFixture<ApiHost>
{
    public const string Name = "API host";
}
