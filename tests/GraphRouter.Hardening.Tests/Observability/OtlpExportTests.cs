using System.Collections.Concurrent;
using System.Text;
using GraphRouter.Hardening.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GraphRouter.Hardening.Tests.Observability;

/// <summary>
/// <c>serve --otlp-endpoint</c> pushes to a real HTTP receiver standing in for an OpenTelemetry collector: the route's
/// trace (its decision id and the service name) and the metrics (the route histogram, the training runs) arrive as
/// OTLP protobuf at the endpoint's <c>v1/traces</c> and <c>v1/metrics</c>. Protobuf carries strings as plain UTF-8,
/// so the bodies are searched for them without decoding the messages.
/// </summary>
public sealed class OtlpExportTests(SqliteServedStore store) : IClassFixture<SqliteServedStore>
{
    private const string Route = "query($input: RouteInput!) { route(input: $input) { decisionId model } }";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Traces_and_metrics_reach_the_collector_as_otlp_protobuf()
    {
        var received = new ConcurrentQueue<(string Path, string? ContentType, byte[] Body)>();
        await using var collector = await StartCollectorAsync(received);
        var endpoint = collector.Urls.Single() + "/collector";
        await using var server = await ServeProcess.StartAsync(store.Store, "--otlp-endpoint", endpoint, "--otlp-interval", "0.2");

        var decision = (await GraphQLReply.PostAsync(server.Client, Route, new { input = new { userId = "otlp-user", query = "Explain recursion." } })).Data("route");
        var decisionId = decision.GetProperty("decisionId").GetString()!;

        bool Arrived(string path, params string[] texts) => received.Any(r =>
            r.Path == path && r.ContentType == "application/x-protobuf" && texts.All(t => Contains(r.Body, t)));
        await Eventually.HoldsAsync(() => Arrived("/collector/v1/traces", decisionId, "graphrouter", "route"),
            $"a trace batch with decision {decisionId}; received {string.Join(", ", received.Select(r => $"{r.Path} ({r.Body.Length} bytes)"))}", Limit);
        await Eventually.HoldsAsync(() => Arrived("/collector/v1/metrics", "graphrouter.route.duration", "graphrouter.training_runs", "SUCCEEDED"),
            "a metrics export with the route histogram and the training runs", Limit);
        Assert.DoesNotContain(received, r => !r.Path.StartsWith("/collector/v1/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Headers_set_the_standard_OpenTelemetry_way_go_with_every_export()
    {
        // A hosted collector wants credentials: OTEL_EXPORTER_OTLP_HEADERS (the SDK's own variable) is honoured beside --otlp-endpoint.
        var received = new ConcurrentQueue<(string Path, string? ContentType, byte[] Body)>();
        var authorizations = new ConcurrentQueue<(string Path, string Authorization)>();
        await using var collector = await StartCollectorAsync(received, authorizations);
        var endpoint = collector.Urls.Single() + "/collector";
        await using var server = await ServeProcess.StartWithEnvironmentAsync(store.Store,
            new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_HEADERS"] = "Authorization=Bearer collector-secret" },
            "--otlp-endpoint", endpoint, "--otlp-interval", "0.2");

        await GraphQLReply.PostAsync(server.Client, Route, new { input = new { userId = "otlp-header-user", query = "Explain recursion." } });

        await Eventually.HoldsAsync(() => received.Any(r => r.Path == "/collector/v1/traces") && received.Any(r => r.Path == "/collector/v1/metrics"),
            "a trace batch and a metrics export", Limit);
        Assert.All(authorizations, a => Assert.Equal("Bearer collector-secret", a.Authorization));
        Assert.Contains(authorizations, a => a.Path == "/collector/v1/traces");
        Assert.Contains(authorizations, a => a.Path == "/collector/v1/metrics");
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    private static async Task<WebApplication> StartCollectorAsync(
        ConcurrentQueue<(string, string?, byte[])> received, ConcurrentQueue<(string, string)>? authorizations = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            authorizations?.Enqueue((context.Request.Path.Value ?? "", context.Request.Headers.Authorization.ToString()));
            received.Enqueue((context.Request.Path.Value ?? "", context.Request.ContentType, body.ToArray()));
            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }
}
