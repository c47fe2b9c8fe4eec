using System.CommandLine;
using System.Diagnostics;
using GraphRouter.Api;
using GraphRouter.Api.Observability;
using GraphRouter.Api.Security;
using GraphRouter.Serving;
using GraphRouter.Serving.Engine;
using GraphRouter.Storage;
using GraphRouter.Storage.ApiKeys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GraphRouter.Cli.Commands;

/// <summary>
/// <c>graphrouter serve</c>: the service. On a fresh store it applies the migrations, imports the bundled
/// dataset and activates the bundled default policy (seconds), then serves GraphQL at /graphql, GraphiQL at
/// /graphiql and health at /healthz and /readyz until stopped (Ctrl-C or SIGTERM). /graphql and /metrics need an
/// API key: a store that never had one gets an admin key on this first start, printed once to stderr and stored
/// only as a hash.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var store = StoreOption.Create();
        var urls = new Option<string[]>("--urls")
        {
            Description = "Addresses to listen on (plain HTTP), e.g. http://127.0.0.1:5080 or http://0.0.0.0:8080.",
            DefaultValueFactory = _ => ["http://127.0.0.1:5080"],
            AllowMultipleArgumentsPerToken = true,
        };
        var costWeight = new Option<double?>("--cost-weight") { Description = "Default costWeight for routes that give none; overrides, for this process only, the deployment's one 'graphrouter calibrate' stored (a tenant's own default still applies to its routes)." };
        var noGraphiql = new Option<bool>("--no-graphiql") { Description = "Do not serve the GraphiQL page." };
        var synchronous = new Option<SqliteSynchronous>("--sqlite-synchronous")
        {
            Description = "SQLite only. Full (default): every acknowledged feedback is on disk before the answer, surviving power loss. " +
                "Normal: it survives a crash of the process but the last commits may be lost with the machine; faster commits.",
            DefaultValueFactory = _ => SqliteSynchronous.Full,
        };
        var perKey = new Option<int>("--rate-limit-per-key")
        {
            Description = "Requests each API key may make per --rate-limit-period (a token bucket of that size, refilled by that much every period).",
            DefaultValueFactory = _ => new ApiSecurityOptions().PerKeyRateLimit.Permits,
        };
        var anonymous = new Option<int>("--rate-limit-anonymous")
        {
            Description = "Requests without a valid API key each remote address may make per --rate-limit-period (each answered 401, then 429).",
            DefaultValueFactory = _ => new ApiSecurityOptions().AnonymousRateLimit.Permits,
        };
        var period = new Option<double>("--rate-limit-period") { Description = "The rate limits' period in seconds.", DefaultValueFactory = _ => 1.0 };
        var metricsOpen = new Option<bool>("--metrics-without-key") { Description = "Serve /metrics to anyone who can reach the port (default: it needs an admin key as a bearer token)." };
        var insecure = new Option<bool>("--insecure-no-auth")
        {
            Description = "Local experiments only: accept every request on /graphql and /metrics as admin, with no API key and no per-key rate limit. Prints a warning.",
        };
        var logLevel = new Option<LogLevel>("--log-level")
        {
            Description = "Least severe log level written (to stderr). Debug adds one line per route decision with its decision id.",
            DefaultValueFactory = _ => LogLevel.Information,
        };
        var staleRuns = new Option<double>("--stale-run-timeout")
        {
            Description = "Seconds without a heartbeat after which this instance fails a RUNNING training run as abandoned (its worker died), as workers do; 0: leave that to the workers.",
            DefaultValueFactory = _ => 60,
        };
        var otlpEndpoint = new Option<string?>("--otlp-endpoint")
        {
            Description = "Push traces and metrics to this OpenTelemetry collector's OTLP/HTTP receiver (protobuf), e.g. http://collector:4318: " +
                "traces to /v1/traces, metrics to /v1/metrics. Default: no export (/metrics serves the metrics either way).",
        };
        var otlpInterval = new Option<double>("--otlp-interval")
        {
            Description = "Seconds between OTLP exports of metrics and batches of traces.",
            DefaultValueFactory = _ => 10,
        };
        var command = new Command("serve", $"Serve the GraphQL API. A fresh store gets the bundled dataset and the bundled default policy first, and a store with no API key an admin key, printed once. {ExitCodes.Help}")
        {
            urls, costWeight, noGraphiql, synchronous, logLevel, perKey, anonymous, period, metricsOpen, insecure, staleRuns, otlpEndpoint, otlpInterval, store,
        };
        command.SetAction((parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var addresses = parse.GetRequiredValue(urls);
            var weight = parse.GetValue(costWeight);
            if (weight is { } w && (!double.IsFinite(w) || w < 0))
            {
                error.WriteLine($"--cost-weight must be a finite number >= 0, got {w}");
                return Task.FromResult(ExitCodes.Usage);
            }
            var graphiql = !parse.GetValue(noGraphiql);
            var seconds = parse.GetValue(period);
            var security = new ApiSecurityOptions
            {
                RequireKeys = !parse.GetValue(insecure),
                PerKeyRateLimit = new RateLimitSettings(parse.GetValue(perKey), TimeSpan.FromSeconds(double.IsFinite(seconds) && seconds is > 0 and <= 86_400 ? seconds : 0)),
                AnonymousRateLimit = new RateLimitSettings(parse.GetValue(anonymous), TimeSpan.FromSeconds(double.IsFinite(seconds) && seconds is > 0 and <= 86_400 ? seconds : 0)),
                MetricsRequireKey = !parse.GetValue(metricsOpen),
            };
            if (security.Problems() is { Count: > 0 } problems)
            {
                foreach (var problem in problems)
                {
                    error.WriteLine($"{problem} (see --rate-limit-per-key, --rate-limit-anonymous, --rate-limit-period)");
                }
                return Task.FromResult(ExitCodes.Usage);
            }
            var staleSeconds = parse.GetValue(staleRuns);
            if (!double.IsFinite(staleSeconds) || staleSeconds < 0 || staleSeconds > 86_400)
            {
                error.WriteLine($"--stale-run-timeout must be a number of seconds from 0 to 86400, got {staleSeconds}");
                return Task.FromResult(ExitCodes.Usage);
            }
            OtlpExportOptions? otlp = null;
            if (parse.GetValue(otlpEndpoint) is { } endpoint)
            {
                var interval = parse.GetValue(otlpInterval);
                IReadOnlyList<string> otlpProblems;
                if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
                {
                    otlpProblems = [$"--otlp-endpoint must be an absolute http or https URL, e.g. http://collector:4318, got '{endpoint}'"];
                }
                else if (!double.IsFinite(interval) || Math.Abs(interval) > 86_400)
                {
                    // Only what a TimeSpan can hold gets this far; the options say what range they accept.
                    otlpProblems = [$"--otlp-interval must be a number of seconds from {OtlpExportOptions.MinInterval.TotalSeconds} to {OtlpExportOptions.MaxInterval.TotalSeconds}, got {interval}"];
                }
                else
                {
                    otlp = new OtlpExportOptions(uri, TimeSpan.FromSeconds(interval));
                    otlpProblems = otlp.Problems();
                }
                if (otlpProblems.Count > 0)
                {
                    foreach (var problem in otlpProblems)
                    {
                        error.WriteLine($"{problem} (see --otlp-endpoint, --otlp-interval)");
                    }
                    return Task.FromResult(ExitCodes.Usage);
                }
            }
            var options = new GraphStoreOptions { SqliteSynchronous = parse.GetValue(synchronous) };
            var started = Stopwatch.StartNew();
            return StoreCommandRunner.RunAsync(parse.GetRequiredValue(store), options, output, error, (graph, token) =>
                EngineSession.RunAsync(graph, output, error, new EngineOptions(), async (engine, t) =>
                {
                    if (weight is { } explicitWeight)
                    {
                        engine.OverrideDefaultCostWeight(explicitWeight);
                    }
                    await EnsureAdminKeyAsync(graph, security, error, t);
                    await using var sweeper = staleSeconds > 0 ? new StaleRunSweeper(graph, TimeSpan.FromSeconds(staleSeconds), output) : null;
                    sweeper?.Start();
                    await using var app = GraphRouterServer.Build(
                        new GraphRouterServerOptions { Urls = addresses, GraphiQL = graphiql, MinimumLogLevel = parse.GetValue(logLevel), Security = security, Otlp = otlp },
                        services =>
                        {
                            services.AddSingleton<IRouterService>(engine);
                            services.AddSingleton(graph);
                        });
                    await app.StartAsync(t);
                    await output.WriteLineAsync(
                        $"graphrouter serving {string.Join(", ", app.Urls)} (GraphQL /graphql{(graphiql ? ", GraphiQL /graphiql" : "")}, /healthz, /readyz); " +
                        $"policy {engine.ActiveVersion ?? "none"}; store {graph.Location}; default costWeight {engine.DefaultCostWeight}; ready in {started.Elapsed.TotalSeconds:0.0} s");
                    await output.FlushAsync(t);
                    await app.WaitForShutdownAsync(t);
                    return ExitCodes.Ok;
                }, token), ct);
        });
        return command;
    }

    /// <summary>
    /// Nothing is open by accident: on a store that never held an API key, creates an admin key and prints it once to
    /// stderr (it is stored only as a hash and written nowhere else); with every key revoked, says so. With
    /// <c>--insecure-no-auth</c>, prints a warning instead.
    /// </summary>
    private static async Task EnsureAdminKeyAsync(IGraphStore graph, ApiSecurityOptions security, TextWriter error, CancellationToken cancellationToken)
    {
        if (!security.RequireKeys)
        {
            await error.WriteLineAsync("WARNING: --insecure-no-auth: /graphql and /metrics accept every request as admin, with no API key and no per-key rate limit. Use it only for local experiments.");
            return;
        }

        var secret = ApiKeySecret.Generate();
        var created = await graph.CreateFirstApiKeyAsync(new ApiKeyRegistration { Name = "admin", Role = ApiKeyRole.Admin, Tenant = Storage.Tenancy.Tenants.Default, SecretHash = ApiKeySecret.Hash(secret) }, cancellationToken);
        if (created is not null)
        {
            await error.WriteLineAsync($"this store had no API key, so an admin key was created ({created.Id}, name '{created.Name}'). It is shown only now and stored only as a hash:");
            await error.WriteLineAsync($"graphrouter admin key: {secret}");
            await error.WriteLineAsync("Send it as 'Authorization: Bearer KEY'. Create app keys with 'graphrouter keys create --name NAME --role app'; list and revoke with 'graphrouter keys list|revoke'.");
        }
        else if ((await graph.GetApiKeysAsync(cancellationToken)).All(key => key.IsRevoked))
        {
            await error.WriteLineAsync("every API key of this store is revoked: /graphql answers 401 until one is created with 'graphrouter keys create'.");
        }
        await error.FlushAsync(cancellationToken);
    }
}
