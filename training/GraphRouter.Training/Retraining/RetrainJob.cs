using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GraphRouter.Evaluation.Splits;
using GraphRouter.Routing.Policies;
using GraphRouter.Serving.Engine;
using GraphRouter.Serving.Runtime;
using GraphRouter.Storage;
using GraphRouter.Storage.Policies;
using GraphRouter.Storage.TrainingRuns;
using GraphRouter.Training.Export;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Retraining;

/// <summary>
/// The batch retraining job, one claimed run from start to outcome: a consistent snapshot of the store, the same
/// hash-based split the train command uses (stable as data grows: a user or prompt never changes side), training
/// from scratch or warm-started from the active policy, export as a new policy folder whose manifest records the
/// snapshot and the config, then the gate (<see cref="PolicyGate"/>): the candidate and the active policy, each
/// loaded by the serving runtime, scored on the same held-out pairs. The candidate is registered either way; it
/// is activated only when it passes. A candidate that fails its parity check is never registered.
/// Stages and epochs go to the run record through the <see cref="RunReporter"/>.
/// </summary>
public sealed class RetrainJob
{
    private readonly IGraphStore _store;
    private readonly string _policies;
    private readonly string _defaultConfig;
    private readonly TextWriter _log;

    /// <param name="policiesFolder">Where candidate policy folders are written (every service instance must reach the same path).</param>
    /// <param name="defaultConfig">The config name or path used when a run names none.</param>
    public RetrainJob(IGraphStore store, string policiesFolder, string defaultConfig, TextWriter log)
    {
        _store = store;
        _policies = Path.GetFullPath(policiesFolder);
        _defaultConfig = defaultConfig;
        _log = log;
    }

    /// <summary>The config a request trains with, and whether it warm-starts. Throws what a bad name or file gives (<see cref="TrainingConfigFile.Resolve"/>, <see cref="JsonException"/>).</summary>
    public (TrainingConfig Config, bool WarmStart, string Source) ResolveConfig(RetrainRequest request) => ResolveConfig(request, _defaultConfig);

    /// <summary>As above, with <paramref name="defaultConfig"/> for a request that names none.</summary>
    public static (TrainingConfig Config, bool WarmStart, string Source) ResolveConfig(RetrainRequest request, string defaultConfig)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(defaultConfig);
        var source = TrainingConfigFile.Resolve(request.Config ?? defaultConfig);
        var config = TrainingConfigFile.Read(source);
        return (config, request.WarmStart ?? config.Retrain.WarmStart, source);
    }

    /// <summary>Runs the job for one claimed run; returns its outcome (SUCCEEDED or REJECTED). Failures are exceptions, for the caller to record.</summary>
    public async Task<TrainingRunOutcome> RunAsync(RetrainRequest request, RunReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reporter);
        var total = Stopwatch.StartNew();
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);

        await reporter.ReportAsync(0.01, "reading the config", cancellationToken: cancellationToken);
        var (config, warmStart, source) = ResolveConfig(request);
        var active = await _store.GetActivePolicyAsync(cancellationToken);
        PolicyManifest? activeManifest = null;
        if (warmStart)
        {
            if (active is null)
            {
                throw new InvalidOperationException("warm start needs an active policy and none is active; retrain from scratch (warmStart false)");
            }
            activeManifest = PolicyLoader.Verify(active.Path);
            config = WarmStart.Adopt(config, activeManifest);
        }
        metrics["warmStart"] = warmStart ? 1 : 0;
        await _log.WriteLineAsync($"config {source}{(warmStart ? $", warm start from {active!.Version}" : ", from scratch")}{(config.ShuffleRatings ? ", ratings SHUFFLED" : "")}");

        await reporter.ReportAsync(0.02, "reading a snapshot of the store", cancellationToken: cancellationToken);
        var snapshot = await _store.ReadSnapshotAsync(cancellationToken);
        await _log.WriteLineAsync($"snapshot: {snapshot.Description}");
        metrics["interactions"] = snapshot.Dataset.Interactions.Count;
        metrics["feedbackCount"] = snapshot.FeedbackCount;
        metrics["feedbackWatermark"] = snapshot.FeedbackWatermark;

        await reporter.ReportAsync(0.04, "splitting and fitting the query encoder", cancellationToken: cancellationToken);
        var split = EvaluationSplit.Create(snapshot.Dataset, new SplitConfig());
        var trainingSplit = config.ShuffleRatings ? EvaluationSplit.Create(RatingShuffle.Apply(snapshot.Dataset, config.Seed), new SplitConfig()) : split;
        string folder;
        PolicyRuntime candidate;
        var trainClock = Stopwatch.StartNew();
        using (var router = GraphRouterTrainer.Create(trainingSplit, config))
        {
            if (warmStart)
            {
                WarmStart.Load(router, active!.Path, activeManifest!);
            }
            router.Features.EncodeAllQueries();
            await _log.WriteLineAsync(Invariant($"training on {trainingSplit.Train.Count} interactions of {trainingSplit.KnownUsers.Count} users, at most {config.Epochs} epochs of {config.StepsPerEpoch} steps"));
            await _log.WriteLineAsync(NativeHeapTuning.Describe());
            var trainer = new GraphRouterTrainer(config, epoch =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                reporter.Report(0.05 + 0.8 * epoch.Epoch / Math.Max(1, config.Epochs), epoch.Epoch == 0
                    ? Invariant($"epoch 0/{config.Epochs}: the starting weights, validation accuracy {epoch.ValidationAccuracy:F4}")
                    : Invariant($"epoch {epoch.Epoch}/{config.Epochs}: loss {epoch.Loss:F4}, validation accuracy {epoch.ValidationAccuracy:F4}{(epoch.Best ? " (best so far)" : "")}"));
            });
            var epochs = trainer.Train(router, trainingSplit, startCounts: warmStart);
            metrics["epochs"] = epochs.Count(e => e.Epoch > 0);
            metrics["bestEpoch"] = epochs.Where(e => e.Best).Select(e => e.Epoch).DefaultIfEmpty(0).Last();
            metrics["trainSeconds"] = Math.Round(trainClock.Elapsed.TotalSeconds, 1);

            await reporter.ReportAsync(0.87, "exporting the candidate policy", cancellationToken: cancellationToken);
            try
            {
                (folder, candidate) = PolicyExporter.ExportAndLoad(router, split, _policies, new PolicyExportOptions { TimeInVersion = true, DataSnapshot = snapshot.Description }, _log);
            }
            catch (PolicyArtifactException e)
            {
                // export loads the written folder back with the runtime and removes it when that fails: nothing to register
                return Finish(metrics, total, new TrainingRunOutcome { Status = TrainingRunStatus.Rejected, Error = $"the candidate failed its own load-back (checksums or parity): {e.Message}" });
            }
        }
        // Owned from here: released however the rest of the run ends.
        using var loaded = candidate;
        var version = Path.GetFileName(folder);

        // judged against the policy active now: an operator may have activated another one while this run trained
        active = await _store.GetActivePolicyAsync(cancellationToken);
        await reporter.ReportAsync(0.92, $"gate: scoring candidate {version}{(active is null ? "" : $" and active {active.Version}")} on the held-out pairs", cancellationToken: cancellationToken);
        var verdict = Gate(loaded, active, split, config, metrics);
        await _log.WriteLineAsync(verdict.Reason);
        await _store.RegisterPolicyAsync(ServiceBootstrap.Registration(loaded.Manifest, folder), cancellationToken);
        if (!verdict.Passed)
        {
            return Finish(metrics, total, new TrainingRunOutcome { Status = TrainingRunStatus.Rejected, PolicyVersion = version, Error = $"REJECTED: {verdict.Reason}" });
        }
        // The last report before activation: a run that is no longer this worker's must not activate anything.
        await reporter.ReportAsync(0.97, $"activating {version}", cancellationToken: cancellationToken);
        await _store.ActivatePolicyAsync(version, cancellationToken);
        await _log.WriteLineAsync($"activated {version}");
        return Finish(metrics, total, new TrainingRunOutcome { Status = TrainingRunStatus.Succeeded, PolicyVersion = version });
    }

    /// <summary>
    /// Scores the candidate (already loaded back by the export, checksums and parity replayed) and the active policy,
    /// loaded with the serving runtime, on one gate set. An active policy that does not load (its folder corrupt or
    /// gone) cannot be compared with: the candidate is judged alone, and the reason says so.
    /// </summary>
    private static GateVerdict Gate(PolicyRuntime candidate, PolicyRecord? active, EvaluationSplit split, TrainingConfig config, IDictionary<string, double> metrics)
    {
        PolicyRuntime? current = null;
        string? activeProblem = null;
        if (active is not null)
        {
            try
            {
                current = PolicyRuntime.Load(active.Path);
            }
            catch (PolicyArtifactException e)
            {
                activeProblem = $"the active policy {active.Version} did not load ({e.Message}), so the candidate is judged alone; ";
            }
        }
        using (current)
        {
            var models = current is null ? candidate.Models : candidate.Models.Intersect(current.Models, StringComparer.Ordinal).ToList();
            var set = GateSet.Create(split, config.ValidationK, models);
            var candidateScore = PolicyGate.Evaluate(candidate, set);
            Record(metrics, "candidate", candidateScore);
            GateScore? activeScore = null;
            if (current is not null)
            {
                activeScore = PolicyGate.Evaluate(current, set);
                Record(metrics, "active", activeScore);
            }
            metrics["gatePairs"] = set.Pairs;
            metrics["gateMargin"] = config.Retrain.GateMargin;
            metrics["candidateParityMaxDifference"] = candidate.ParityMaxDifference;
            var verdict = PolicyGate.Judge(candidateScore, activeScore, config.Retrain.GateMargin);
            return activeProblem is null ? verdict : verdict with { Reason = activeProblem + verdict.Reason };
        }
    }

    private static void Record(IDictionary<string, double> metrics, string prefix, GateScore score)
    {
        metrics[prefix + "GateAccuracy"] = score.Accuracy;
        metrics[prefix + "GateAuc"] = score.Auc;
        metrics[prefix + "ValidationUsersAccuracy"] = score.ValidationUsersAccuracy;
        metrics[prefix + "KnownUsersAccuracy"] = score.KnownUsersAccuracy;
    }

    private static TrainingRunOutcome Finish(IDictionary<string, double> metrics, Stopwatch total, TrainingRunOutcome outcome)
    {
        metrics["totalSeconds"] = Math.Round(total.Elapsed.TotalSeconds, 1);
        return outcome with { MetricsJson = MetricsJson(metrics) };
    }

    /// <summary>The metrics as a JSON object of numbers; a metric that is not a finite number (no pairs) is left out.</summary>
    public static string MetricsJson(IEnumerable<KeyValuePair<string, double>> metrics) =>
        JsonSerializer.Serialize(metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
