using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphRouter.LoadGenerator;

/// <summary>
/// A minimal GraphQL-over-HTTP client: POSTs a document with variables, times the round trip, and reads the
/// server's own time from its <c>Server-Timing</c> header (<c>app;dur=MS</c>) when present. Sends the API key in
/// GRAPHROUTER_API_KEY (set by <c>--key</c>) as a bearer token.
/// </summary>
public sealed class GraphQLClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    /// <summary>The environment variable holding the API key every request sends.</summary>
    public const string ApiKeyVariable = "GRAPHROUTER_API_KEY";

    public GraphQLClient(Uri server, int connections)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        if (Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        _endpoint = new Uri(server, "/graphql");
    }

    public async Task<GraphQLCall> PostAsync(string document, object? variables, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { query = document, variables });
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var start = Stopwatch.GetTimestamp();
        using var response = await _http.PostAsync(_endpoint, content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(start);
        double? server = null;
        if (response.Headers.TryGetValues("Server-Timing", out var timings))
        {
            server = ParseServerTiming(timings);
        }
        var json = JsonNode.Parse(text);
        var errors = json?["errors"] as JsonArray;
        return new GraphQLCall((int)response.StatusCode, json?["data"], errors is { Count: > 0 } ? errors.ToJsonString() : null, elapsed.TotalMilliseconds, server);
    }

    private static double? ParseServerTiming(IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            foreach (var metric in value.Split(','))
            {
                var parts = metric.Trim().Split(';');
                if (parts[0] != "app")
                {
                    continue;
                }
                foreach (var part in parts.Skip(1))
                {
                    if (part.StartsWith("dur=", StringComparison.Ordinal)
                        && double.TryParse(part.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture, out var ms))
                    {
                        return ms;
                    }
                }
            }
        }
        return null;
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>One call: HTTP status, the data, the errors (JSON) if any, client round trip and server time in ms.</summary>
public sealed record GraphQLCall(int Status, JsonNode? Data, string? Errors, double ClientMs, double? ServerMs)
{
    public bool Ok => Status == 200 && Errors is null;
}

/// <summary>Latency samples of one phase and their percentiles (nearest rank), sorted once when first read.</summary>
public sealed class LatencySamples
{
    private readonly List<double> _values = [];
    private double[]? _sorted;

    public void Add(double ms)
    {
        lock (_values)
        {
            _values.Add(ms);
            _sorted = null;
        }
    }

    public int Count => _values.Count;

    public double Percentile(double p)
    {
        lock (_values)
        {
            if (_values.Count == 0)
            {
                return double.NaN;
            }
            _sorted ??= [.. _values.Order()];
            var rank = (int)Math.Ceiling(p / 100.0 * _sorted.Length) - 1;
            return _sorted[Math.Clamp(rank, 0, _sorted.Length - 1)];
        }
    }

    public string Summary() => FormattableString.Invariant($"p50 {Percentile(50):0.000} ms, p90 {Percentile(90):0.000} ms, p99 {Percentile(99):0.000} ms, max {Percentile(100):0.000} ms");
}
