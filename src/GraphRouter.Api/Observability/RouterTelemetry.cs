using System.Diagnostics;
using System.Diagnostics.Metrics;
using GraphRouter.Serving;
using GraphRouter.Serving.Engine;
using GraphRouter.Storage.TrainingRuns;
using Microsoft.Extensions.Logging;

namespace GraphRouter.Api.Observability;

/// <summary>
/// What the API measures and traces around the two hot operations, <c>route</c> and <c>submitFeedback</c>: latency
/// histograms, decisions per chosen model, fallbacks, feedback outcomes, and (read at scrape time from the engine,
/// when the host's <see cref="IRouterService"/> is a <see cref="RouterEngine"/>) the user-embedding cache's hits and
/// misses and the active policy version; and the training runs per status with the seconds the finished ones took,
/// read from the store before each scrape (<see cref="RefreshTrainingRunsAsync"/>), since runs are advanced by
/// workers in other processes. Instruments live on one <see cref="Meter"/> per host, so two hosts in one
/// process never mix their figures; <see cref="PrometheusExposition"/> serves them at <c>/metrics</c>. Traces go
/// through <see cref="ActivitySource"/> (<see cref="SourceName"/>), which any OpenTelemetry SDK can subscribe to.
/// </summary>
public sealed partial class RouterTelemetry : IDisposable
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string SourceName = "GraphRouter.Api";

    /// <summary>The outcome tag of a call that returned normally.</summary>
    public const string Ok = "ok";

    /// <summary>Latency buckets in seconds: an in-process route takes about a millisecond, a durable feedback a few.</summary>
    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly ActivitySource Source = new(SourceName);

    private readonly Histogram<double> _routeDuration;
    private readonly Histogram<double> _feedbackDuration;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _feedback;
    private readonly ILogger<RouterTelemetry> _logger;
    private readonly Func<IRouterService?> _router;

    /// <summary>The training-run tallies last read; null before the first read or when the store could not be read.</summary>
    private volatile IReadOnlyList<TrainingRunTally>? _trainingRuns;

    /// <summary>When the last read of the tallies started (a <see cref="Stopwatch"/> timestamp), and whether one is under way.</summary>
    private long _trainingRunsReadAt = long.MinValue / 2;
    private int _readingTrainingRuns;

    /// <summary>How old the tallies may get before an observer other than /metrics (the OTLP exporter) has them read again.</summary>
    private static readonly TimeSpan TrainingRunsMaxAge = TimeSpan.FromSeconds(1);

    /// <param name="router">The host's router service, asked for lazily (at scrape time): the host may register it after the API.</param>
    /// <param name="logger">Where the one line per route decision goes.</param>
    public RouterTelemetry(Func<IRouterService?> router, ILogger<RouterTelemetry> logger)
    {
        ArgumentNullException.ThrowIfNull(router);
        _logger = logger;
        _router = router;
        Meter = new Meter(SourceName);
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets };
        _routeDuration = Meter.CreateHistogram("graphrouter.route.duration", "s", "Time to answer a route, from the resolver's call to the decision.", advice: advice);
        _feedbackDuration = Meter.CreateHistogram("graphrouter.feedback.duration", "s", "Time to commit a submitFeedback, from the resolver's call to the acknowledgement.", advice: advice);
        _decisions = Meter.CreateCounter<long>("graphrouter.route.decisions", null, "Route decisions, by chosen model.");
        _fallbacks = Meter.CreateCounter<long>("graphrouter.route.fallbacks", null, "Route decisions that skipped a better-ranked unavailable model, by chosen model.");
        _feedback = Meter.CreateCounter<long>("graphrouter.feedback.submissions", null, "submitFeedback calls, by result: stored, duplicate, or the error code.");
        Meter.CreateObservableCounter("graphrouter.embedding_cache.hits", () => CacheCount(router(), hits: true), null, "User-embedding cache hits (a route that reused the user's embedding).");
        Meter.CreateObservableCounter("graphrouter.embedding_cache.misses", () => CacheCount(router(), hits: false), null, "User-embedding cache misses (the embedding was computed from the store).");
        Meter.CreateObservableCounter("graphrouter.embedding_recomputes.requested", () => RecomputeCount(router(), runs: false), null, "Background user re-embeddings asked for by feedback.");
        Meter.CreateObservableCounter("graphrouter.embedding_recomputes.runs", () => RecomputeCount(router(), runs: true), null, "Background user re-embeddings run (requests for a user already being re-embedded coalesce).");
        Meter.CreateObservableGauge("graphrouter.policy.active", () => ActivePolicy(router()), null, "1 for the active policy version (label version); absent when none is active.");
        Meter.CreateObservableGauge("graphrouter.training_runs", TrainingRunCounts, null, "Training runs in each status (label status), deployment-wide, as the store holds them at scrape time.");
        Meter.CreateObservableCounter("graphrouter.training_runs.duration", TrainingRunDurations, "s",
            "Seconds from claim to finish summed over the finished training runs, by status (SUCCEEDED, REJECTED, FAILED); divided by graphrouter_training_runs of that status it is the mean duration.");
    }

    /// <summary>The meter all of this host's instruments live on.</summary>
    public Meter Meter { get; }

    /// <summary>Routes for <paramref name="tenant"/> through <paramref name="router"/> inside a <c>route</c> activity, recording latency, the decision and a log line with its id.</summary>
    public async Task<RouteResult> RouteAsync(IRouterService router, string tenant, RouteCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(command);
        using var activity = Source.StartActivity("route", ActivityKind.Internal);
        activity?.SetTag("graphrouter.tenant", tenant);
        activity?.SetTag("graphrouter.user_id", command.UserId);
        var start = Stopwatch.GetTimestamp();
        RouteResult result;
        try
        {
            result = await router.RouteAsync(tenant, command, cancellationToken);
        }
        catch (Exception exception)
        {
            Failed(activity, _routeDuration, start, exception);
            throw;
        }

        _routeDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, new KeyValuePair<string, object?>("outcome", Ok));
        var model = new KeyValuePair<string, object?>("model", result.Model);
        _decisions.Add(1, model);
        if (result.FallbackFrom.Count > 0)
        {
            _fallbacks.Add(1, model);
        }

        if (activity is not null)
        {
            activity.SetTag("graphrouter.decision_id", result.DecisionId);
            activity.SetTag("graphrouter.model", result.Model);
            activity.SetTag("graphrouter.policy_version", result.PolicyVersion);
            activity.SetTag("graphrouter.fallback_from", string.Join(',', result.FallbackFrom));
        }

        LogDecision(result.DecisionId, result.Model, result.PolicyVersion, result.UserInteractions, result.FallbackFrom.Count);
        return result;
    }

    /// <summary>Submits for <paramref name="tenant"/> through <paramref name="router"/> inside a <c>submitFeedback</c> activity, recording latency and the result.</summary>
    public async Task<FeedbackResult> SubmitFeedbackAsync(IRouterService router, string tenant, FeedbackCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(command);
        using var activity = Source.StartActivity("submitFeedback", ActivityKind.Internal);
        activity?.SetTag("graphrouter.tenant", tenant);
        activity?.SetTag("graphrouter.user_id", command.UserId);
        activity?.SetTag("graphrouter.decision_id", command.DecisionId);
        var start = Stopwatch.GetTimestamp();
        FeedbackResult result;
        try
        {
            result = await router.SubmitFeedbackAsync(tenant, command, cancellationToken);
        }
        catch (Exception exception)
        {
            Failed(activity, _feedbackDuration, start, exception);
            _feedback.Add(1, new KeyValuePair<string, object?>("result", Outcome(exception)));
            throw;
        }

        _feedbackDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, new KeyValuePair<string, object?>("outcome", Ok));
        var stored = result.Duplicate ? "duplicate" : "stored";
        _feedback.Add(1, new KeyValuePair<string, object?>("result", stored));
        activity?.SetTag("graphrouter.feedback_result", stored);
        return result;
    }

    /// <summary>
    /// Reads the training-run tallies from the store for the next scrape. A store that cannot be read leaves the
    /// training-run series out of that scrape (no stale or made-up figures) and logs why; the rest of the scrape
    /// is unaffected.
    /// </summary>
    public async Task RefreshTrainingRunsAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _trainingRunsReadAt, Stopwatch.GetTimestamp());
        if (_router() is not { } router)
        {
            _trainingRuns = null;
            return;
        }

        try
        {
            _trainingRuns = await router.GetTrainingRunTalliesAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _trainingRuns = null;
            LogTrainingRunsUnreadable(exception);
        }
    }

    public void Dispose() => Meter.Dispose();

    /// <summary>The error code a failed call is counted under: the service's own code, else INTERNAL_SERVER_ERROR.</summary>
    private static string Outcome(Exception exception) => exception switch
    {
        ServiceException service => service.Code,
        OperationCanceledException => "CANCELLED",
        _ => Errors.ApiErrorCode.InternalServerError,
    };

    private static void Failed(Activity? activity, Histogram<double> duration, long start, Exception exception)
    {
        var outcome = Outcome(exception);
        duration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
        activity?.SetStatus(ActivityStatusCode.Error, outcome);
    }

    /// <summary>The engine's cache counter; no series at all (rather than a made-up zero) when no engine is behind the API.</summary>
    private static IEnumerable<Measurement<long>> RecomputeCount(IRouterService? router, bool runs) =>
        router is RouterEngine engine ? [new Measurement<long>(runs ? engine.Recomputes.Runs : engine.Recomputes.Requests)] : [];

    private static IEnumerable<Measurement<long>> CacheCount(IRouterService? router, bool hits) =>
        router is RouterEngine engine ? [new Measurement<long>(hits ? engine.Cache.Hits : engine.Cache.Misses)] : [];

    private static IEnumerable<Measurement<long>> ActivePolicy(IRouterService? router) =>
        router is RouterEngine { ActiveVersion: { } version }
            ? [new Measurement<long>(1, new KeyValuePair<string, object?>("version", version))]
            : [];

    /// <summary>
    /// Observers that do not refresh first (the OTLP exporter's periodic collection) see the tallies as last read and,
    /// when those are older than <see cref="TrainingRunsMaxAge"/>, start one read in the background for their next
    /// collection: observable callbacks are synchronous and must not wait on the store.
    /// </summary>
    private void ReadTrainingRunsWhenStale()
    {
        if (Stopwatch.GetElapsedTime(Interlocked.Read(ref _trainingRunsReadAt)) < TrainingRunsMaxAge || Interlocked.Exchange(ref _readingTrainingRuns, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await RefreshTrainingRunsAsync(CancellationToken.None);
            }
            finally
            {
                Volatile.Write(ref _readingTrainingRuns, 0);
            }
        });
    }

    /// <summary>Every status with its count, zero included, so a dashboard sees "none running" rather than no data.</summary>
    private IEnumerable<Measurement<long>> TrainingRunCounts() => TrainingRunSeries(TrainingRunStatus.All, tally => tally?.Runs ?? 0);

    private IEnumerable<Measurement<double>> TrainingRunDurations() => TrainingRunSeries(TrainingRunStatus.Ended, tally => tally?.DurationSeconds ?? 0);

    /// <summary>One measurement per status of the tallies last read (none when they could not be read).</summary>
    private IEnumerable<Measurement<T>> TrainingRunSeries<T>(IReadOnlyList<string> statuses, Func<TrainingRunTally?, T> value)
        where T : struct
    {
        ReadTrainingRunsWhenStale();
        if (_trainingRuns is not { } tallies)
        {
            return [];
        }

        return statuses.Select(status => new Measurement<T>(
            value(tallies.FirstOrDefault(t => t.Status == status)), new KeyValuePair<string, object?>("status", status)));
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "metrics: the training runs could not be read from the store; this scrape leaves them out")]
    private partial void LogTrainingRunsUnreadable(Exception exception);

    // Debug: one line per route is an access log, which costs the hot path a formatted console write; operators who
    // want it run serve with --log-level debug (the metrics and traces are always on).
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug,
        Message = "route decision {DecisionId}: {Model} (policy {PolicyVersion}, {UserInteractions} user interactions, {FallbackCount} fallbacks)")]
    private partial void LogDecision(string decisionId, string model, string policyVersion, int userInteractions, int fallbackCount);
}
