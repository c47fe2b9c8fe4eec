using System.Text.Json;
using GraphRouter.Core.Datasets;
using GraphRouter.Routing.Policies;
using GraphRouter.Serving;
using GraphRouter.Serving.Engine;
using GraphRouter.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using GraphRouter.Api.Tests.Support;

namespace GraphRouter.Api.Tests.EndToEnd;

/// <summary>
/// The service as <c>graphrouter serve</c> runs it: a real SQLite file prepared by <see cref="ServiceBootstrap"/>
/// (bundled routerbench imported, bundled default policy activated), the real <see cref="RouterEngine"/>, and the
/// real host on a free loopback port.
/// </summary>
public sealed class EngineHost : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "graphrouter-e2e-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    /// <summary>A client that sends <see cref="AdminKey"/>.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>An admin key and an app key of <see cref="Store"/>, which the host reads its keys from.</summary>
    public string AdminKey { get; private set; } = null!;
    public string AppKey { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;
    public IGraphStore Store { get; private set; } = null!;
    public RouterEngine Engine { get; private set; } = null!;
    public PreferenceDataset Data { get; } = RouterBenchReader.Load(BundledData.RouterBench);
    public string PoliciesFolder => Path.Combine(_folder, "policies");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(PoliciesFolder);
        Store = await GraphStoreFactory.OpenAsync(StoreLocation.Parse("sqlite:" + Path.Combine(_folder, "graphrouter.db")));
        await ServiceBootstrap.PrepareAsync(Store, BundledData.RouterBench, Path.Combine(BundledData.Root(), "policies"), TextWriter.Null);
        Engine = new RouterEngine(Store, new EngineOptions());
        await Engine.StartAsync();
        AdminKey = await TestKeys.CreateAsync(Store, Storage.ApiKeys.ApiKeyRole.Admin, "e2e-admin");
        AppKey = await TestKeys.CreateAsync(Store, Storage.ApiKeys.ApiKeyRole.App, "e2e-app");
        (_app, var address) = await ApiHost.StartAsync(new GraphRouterServerOptions(), services =>
        {
            services.AddSingleton<IRouterService>(Engine);
            services.AddSingleton(Store);
        });
        Address = address;
        Client = TestKeys.Client(address, AdminKey);
    }

    /// <summary>A copy of the bundled policy re-sealed under another version (same weights), registered in the store.</summary>
    public async Task<string> RegisterCopyOfBundledPolicyAsync(string version)
    {
        var source = Path.Combine(BundledData.Root(), "policies", Serving.Runtime.BundledPolicy.Version);
        var target = Path.Combine(PoliciesFolder, version);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source).Where(f => Path.GetFileName(f) != PolicyManifest.FileName))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        var manifest = PolicyLoader.Verify(source) with { Version = version, Created = DateTimeOffset.UtcNow };
        PolicyManifestWriter.Write(target, manifest);
        await Store.RegisterPolicyAsync(ServiceBootstrap.Registration(PolicyLoader.Verify(target), target));
        return target;
    }

    public async Task<JsonElement> DataAsync(string query, object? variables = null)
    {
        var call = await GraphQLCall.PostQueryAsync(Client, query, variables);
        if (call.Status != System.Net.HttpStatusCode.OK || call.Body.TryGetProperty("errors", out _))
        {
            Assert.Fail($"expected data, got HTTP {(int)call.Status}: {call.Body}");
        }
        return call.Body.GetProperty("data");
    }

    public Task<GraphQLCall> CallAsync(string query, object? variables = null) => GraphQLCall.PostQueryAsync(Client, query, variables);

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Engine?.Dispose();
        if (Store is not null)
        {
            await Store.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
