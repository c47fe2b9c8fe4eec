using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GraphRouter.Api;
using GraphRouter.Api.Security;
using GraphRouter.Core.Datasets;
using GraphRouter.Serving;
using GraphRouter.Serving.Engine;
using GraphRouter.Storage;
using GraphRouter.Storage.ApiKeys;
using GraphRouter.Storage.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// graphrouter-route-floor: how fast could a route be served at all, next to { __typename }, on this machine?
//   graphrouter-route-floor server --store sqlite:PATH [--urls http://127.0.0.1:5094]
//     the host `graphrouter serve` builds (GraphRouterServer.Build: the same engine, store, key check and /graphql),
//     on a store serve has prepared, plus POST /raw: reads {"userId","query"}, calls RouterEngine.RouteAsync and
//     writes the route's fields with Utf8JsonWriter: no GraphQL parsing, validation, execution or key check.
//     /raw?decision=1 writes only decisionId and model. Prints a fresh admin key.
//   graphrouter-route-floor measure --url URL --key KEY [--workers 4] [--seconds 12] [--rounds 3] [--warmup 3]
//     alternates five phases per round over the same connections: { __typename }, route through GraphQL (full
//     ranking, decision only), and /raw (full, decision only), and prints each phase's rate and its ratio to
//     { __typename } in the same round.
// Exit codes: 0 ok; 1 a request failed; 2 usage.
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

switch (args.FirstOrDefault())
{
    case "server" when Option("--store", "") is { Length: > 0 } store:
        return await ServeAsync(store, Option("--urls", "http://127.0.0.1:5094"));
    case "measure" when Option("--key", "") is { Length: > 0 } key:
        return await MeasureAsync(new Uri(Option("--url", "http://127.0.0.1:5094")), key, int.Parse(Option("--workers", "4"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(Option("--seconds", "12"), CultureInfo.InvariantCulture)), int.Parse(Option("--rounds", "3"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(Option("--warmup", "3"), CultureInfo.InvariantCulture)));
    default:
        Console.Error.WriteLine("usage: graphrouter-route-floor server --store sqlite:PATH [--urls URL]");
        Console.Error.WriteLine("       graphrouter-route-floor measure --url URL --key KEY [--workers 4] [--seconds 12] [--rounds 3] [--warmup 3]");
        return 2;
}

static async Task<int> ServeAsync(string storeText, string urls)
{
    await using var store = await GraphStoreFactory.OpenAsync(StoreLocation.Parse(storeText));
    using var engine = new RouterEngine(store, new EngineOptions(), log: Console.Error);
    string? unprepared = null;
    try
    {
        await engine.StartAsync();
        unprepared = engine.ActiveVersion is null ? "it has no active policy" : null;
    }
    catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or Npgsql.NpgsqlException or ServiceException)
    {
        unprepared = e.Message;
    }
    if (unprepared is not null)
    {
        Console.Error.WriteLine($"{storeText} is not a store serve has prepared ({unprepared}): start `graphrouter serve --store {storeText}` on it once first");
        return 2;
    }

    var secret = ApiKeySecret.Generate();
    await store.CreateApiKeyAsync(new ApiKeyRegistration
    {
        Name = $"route-floor-{Guid.NewGuid():N}"[..20], Role = ApiKeyRole.Admin, Tenant = Tenants.Default, SecretHash = ApiKeySecret.Hash(secret),
    });
    await using var app = GraphRouterServer.Build(new GraphRouterServerOptions { Urls = [urls], GraphiQL = false }, services =>
    {
        services.AddSingleton<IRouterService>(engine);
        services.AddSingleton(store);
    });
    app.MapPost("/raw", (HttpContext http) => RawRouteAsync(engine, http));
    await app.StartAsync();
    Console.WriteLine($"route floor serving {urls} (/graphql, /raw); policy {engine.ActiveVersion}; key {secret}");
    await app.WaitForShutdownAsync();
    return 0;
}

static async Task RawRouteAsync(RouterEngine engine, HttpContext http)
{
    using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
    var route = await engine.RouteAsync(Tenants.Default, new RouteCommand
    {
        UserId = body.RootElement.GetProperty("userId").GetString()!,
        Query = body.RootElement.GetProperty("query").GetString()!,
    }, http.RequestAborted);
    http.Response.ContentType = "application/json";
    await using var json = new Utf8JsonWriter(http.Response.BodyWriter);
    json.WriteStartObject();
    json.WriteStartObject("data");
    json.WriteStartObject("route");
    json.WriteString("decisionId", route.DecisionId);
    json.WriteString("model", route.Model);
    if (!http.Request.Query.ContainsKey("decision"))
    {
        json.WriteString("policyVersion", route.PolicyVersion);
        json.WriteBoolean("userKnown", route.UserKnown);
        json.WriteStartArray("ranking");
        foreach (var score in route.Ranking)
        {
            json.WriteStartObject();
            json.WriteString("model", score.Model);
            json.WriteNumber("score", score.Score);
            json.WriteNumber("probability", score.Probability);
            if (score.ExpectedCostUsd is { } cost)
            {
                json.WriteNumber("expectedCostUsd", cost);
            }
            else
            {
                json.WriteNull("expectedCostUsd");
            }
            json.WriteNumber("utility", score.Utility);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
    json.WriteEndObject();
    json.WriteEndObject();
    json.WriteEndObject();
    await json.FlushAsync(http.RequestAborted);
}

static async Task<int> MeasureAsync(Uri server, string key, int workers, TimeSpan duration, int rounds, TimeSpan warmup)
{
    const string Full = "query($input: RouteInput!) { route(input: $input) { decisionId model policyVersion userKnown ranking { model score probability expectedCostUsd utility } } }";
    const string Decision = "query($input: RouteInput!) { route(input: $input) { decisionId model } }";
    var data = RouterBenchReader.Load(BundledData.RouterBench);
    var users = data.ByUser().Select(g => g.Key).ToArray();
    var queries = data.Queries.Select(q => q.Text).ToArray();
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers });
    http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    var graphql = new Uri(server, "/graphql");
    // Each phase: where it posts and what, for the i-th request (the same user and prompt sequence in every phase).
    var phases = new (string Name, Uri Endpoint, Func<string, string, object> Body)[]
    {
        ("{ __typename }", graphql, (_, _) => new { query = "{ __typename }" }),
        ("route, full ranking", graphql, (user, query) => new { query = Full, variables = new { input = new { userId = user, query } } }),
        ("route, decision only", graphql, (user, query) => new { query = Decision, variables = new { input = new { userId = user, query } } }),
        ("/raw, full ranking", new Uri(server, "/raw"), (user, query) => new { userId = user, query }),
        ("/raw, decision only", new Uri(server, "/raw?decision=1"), (user, query) => new { userId = user, query }),
    };

    async Task<double> RateAsync(int phase, TimeSpan length)
    {
        var (_, endpoint, body) = phases[phase];
        long answered = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            for (long i = worker * 1_000_003L; clock.Elapsed < length; i++)
            {
                using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body(users[i % users.Length], queries[i * 7919 % queries.Length])));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(endpoint, content);
                // Read and parse the whole answer, as graphrouter-load's client does.
                using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                if (!response.IsSuccessStatusCode || answer.RootElement.TryGetProperty("errors", out _))
                {
                    throw new InvalidOperationException($"{phases[phase].Name}: HTTP {(int)response.StatusCode} {answer.RootElement.GetRawText()}");
                }
                Interlocked.Increment(ref answered);
            }
        })));
        return answered / clock.Elapsed.TotalSeconds;
    }

    try
    {
        for (var phase = 0; phase < phases.Length; phase++)
        {
            await RateAsync(phase, warmup);
        }
        var report = new StringBuilder();
        report.AppendLine($"{workers} workers, {duration.TotalSeconds:0} s per phase, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} before");
        report.AppendLine();
        report.AppendLine($"| round | {string.Join(" | ", phases.Select(p => p.Name + " req/s"))} | {string.Join(" | ", phases.Skip(1).Select(p => p.Name + " / __typename"))} |");
        report.AppendLine($"|---|{string.Concat(Enumerable.Repeat("---|", phases.Length * 2 - 1))}");
        for (var round = 1; round <= rounds; round++)
        {
            var rates = new double[phases.Length];
            for (var phase = 0; phase < phases.Length; phase++)
            {
                rates[phase] = await RateAsync(phase, duration);
                Console.Error.WriteLine($"round {round}/{rounds}: {phases[phase].Name} {rates[phase]:0} req/s");
            }
            report.AppendLine($"| {round} | {string.Join(" | ", rates.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))} | " +
                $"{string.Join(" | ", rates.Skip(1).Select(r => (r / rates[0]).ToString("0.00", CultureInfo.InvariantCulture)))} |");
        }
        Console.WriteLine(report);
        return 0;
    }
    catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
}
