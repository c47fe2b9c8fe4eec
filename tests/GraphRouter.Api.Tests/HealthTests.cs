using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json;
using GraphRouter.Api.Tests.Support;

namespace GraphRouter.Api.Tests;

/// <summary>/healthz and /readyz as an orchestrator sees them.</summary>
[Collection(SharedApiHost.Name)]
public sealed class HealthTests(ApiHost host)
{
    [Fact]
    public async Task Healthz_answers_ok_while_the_process_serves()
    {
        using var response = await host.Client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_without_a_router_service_is_503_with_the_reason()
    {
        // A host deliberately built with no router service (not the shared host, whose registration the integrator owns).
        var (app, address) = await ApiHost.StartAsync(new GraphRouterServerOptions(), services => services.AddSingleton(host.KeyStore));
        await using var _ = app;
        using var client = new HttpClient { BaseAddress = address };

        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(body.GetProperty("ready").GetBoolean());
        Assert.Contains("No router service", body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        await app.StopAsync();
    }
}
