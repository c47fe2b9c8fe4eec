using GraphRouter.Api.Http;
using GraphRouter.Api.Security;
using Microsoft.Extensions.Logging;

namespace GraphRouter.Api;

/// <summary>How <see cref="GraphRouterServer.Build"/> sets up the host.</summary>
public sealed record GraphRouterServerOptions
{
    /// <summary>
    /// Where Kestrel listens, e.g. <c>http://127.0.0.1:5000</c> or <c>http://0.0.0.0:8080</c>; port 0 picks a free port
    /// (read it back from <c>app.Urls</c> after start). Plain HTTP only: TLS belongs to the proxy in front.
    /// </summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:5000"];

    /// <summary>Request size, query length, depth, complexity and alias limits of /graphql.</summary>
    public GraphQLLimits Limits { get; init; } = new();

    /// <summary>API keys, roles and rate limits of /graphql and /metrics; keys are required unless this says otherwise.</summary>
    public ApiSecurityOptions Security { get; init; } = new();

    /// <summary>Serve the GraphiQL page at /graphiql.</summary>
    public bool GraphiQL { get; init; } = true;

    /// <summary>Log to the console (one line per entry).</summary>
    public bool ConsoleLogging { get; init; } = true;

    /// <summary>Push traces and metrics to this OpenTelemetry collector (OTLP/HTTP); null: no export (/metrics still serves the metrics).</summary>
    public Observability.OtlpExportOptions? Otlp { get; init; }

    /// <summary>The least severe log level written. ASP.NET Core's per-request logs stay at Warning whatever this says.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Information;
}
