using System.CommandLine;
using System.Text.Json;
using GraphRouter.Storage;
using GraphRouter.Storage.TrainingRuns;
using GraphRouter.Training.Retraining;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Commands;

/// <summary>
/// <c>graphrouter-train retrain</c>: the batch retraining job (<see cref="RetrainJob"/>) once, recorded as a
/// training run like the API's <c>startTraining</c>; with <c>--worker</c>, the worker that serves queued runs
/// (<see cref="RetrainWorker"/>). Exit codes: 0 the candidate passed the gate and is active; 1 the run failed;
/// 2 usage; 3 bad input (an unknown or invalid config; nothing written); 4 the gate rejected the candidate
/// (registered, not active); 5 other runs are queued (nothing written: a worker serves them in order).
/// </summary>
internal static class RetrainCommand
{
    public const int Rejected = 4;
    public const int Busy = 5;

    private const string Help = "Exit codes: 0 activated; 1 failed; 2 usage error; 3 bad input (nothing written); 4 rejected by the gate (registered, not active); 5 other runs queued (nothing written).";

    public static Command Create()
    {
        var store = new Option<StoreLocation>("--store")
        {
            Description = $"The store to read and to register the policy in: {StoreLocation.Syntax}.",
            HelpName = "sqlite:PATH|postgres:CONNSTRING",
            Required = true,
            CustomParser = result =>
            {
                try
                {
                    return StoreLocation.Parse(result.Tokens.Count > 0 ? result.Tokens[0].Value : "");
                }
                catch (FormatException e)
                {
                    result.AddError(e.Message);
                    return null;
                }
            },
        };
        var config = new Option<string?>("--config") { Description = $"Training config: a name in training/configs (e.g. retrain-quick) or a path. Default: {TrainingConfigFile.DefaultName}; with --worker, for runs that name none." };
        var warmStart = new Option<bool>("--warm-start") { Description = "Start from the active policy's weights instead of from scratch (default: the config's retrain.warmStart)." };
        var policies = new Option<DirectoryInfo?>("--policies") { Description = "Folder the new policy version is written to; every service instance must read it at the same path. " +
            "Default: $GRAPHROUTER_POLICIES, else a 'policies' folder beside a SQLite store's file; a PostgreSQL store needs one of the two." };
        var worker = new Option<bool>("--worker") { Description = "Serve queued runs (startTraining) one at a time, polling when none is queued." };
        var once = new Option<bool>("--once") { Description = "With --worker: serve at most one run, then exit." };
        var heartbeat = DurationOption("--heartbeat-timeout", "A RUNNING run silent this long is failed as abandoned (its worker died); this worker beats at a quarter of it, at most every 10 s.", TimeSpan.FromSeconds(60));
        var poll = DurationOption("--poll-interval", "With --worker: how long an idle worker waits between looks at the queue.", TimeSpan.FromSeconds(5));
        var command = new Command("retrain", $"Retrain from the store: snapshot, train, export a new policy version, gate it against the active policy on held-out pairs, register it, and activate it if it passes. {Help}")
        {
            store, config, warmStart, policies, worker, once, heartbeat, poll,
        };
        command.Validators.Add(result =>
        {
            var isWorker = result.GetValue(worker);
            if (result.GetValue(once) && !isWorker)
            {
                result.AddError("--once needs --worker");
            }
            if (isWorker && result.GetValue(warmStart))
            {
                result.AddError("--warm-start applies to a direct retrain; a worker follows each run's warmStart (and its config's)");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var log = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var location = parse.GetValue(store)!;
            var request = new RetrainRequest { Config = parse.GetValue(config), WarmStart = parse.GetValue(warmStart) ? true : null };
            var options = new RetrainWorkerOptions { HeartbeatTimeout = parse.GetValue(heartbeat), PollInterval = parse.GetValue(poll), Once = parse.GetValue(once) };
            string folder;
            try
            {
                folder = PoliciesFolder(parse.GetValue(policies), location);
                // A config that does not resolve or parse is bad input, refused before anything is written.
                RetrainJob.ResolveConfig(request, request.Config ?? TrainingConfigFile.DefaultName);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException or InvalidDataException or ArgumentException)
            {
                await error.WriteLineAsync($"retrain: {e.Message}; nothing was written");
                return ExitCodes.BadInput;
            }
            IGraphStore graph;
            try
            {
                graph = await GraphStoreFactory.OpenAsync(location, cancellationToken);
            }
            catch (StoreUnavailableException e)
            {
                await error.WriteLineAsync($"retrain: {e.Message}");
                return ExitCodes.Failed;
            }
            await using var opened = graph;
            // The worker may be the first process on a new store, or on one an older service migrated: the
            // migrations are idempotent, each in its own transaction.
            await graph.MigrateAsync(cancellationToken);
            var job = new RetrainJob(graph, folder, request.Config ?? TrainingConfigFile.DefaultName, log);
            try
            {
                if (parse.GetValue(worker))
                {
                    var last = await RetrainWorker.RunAsync(graph, job, options, log, cancellationToken);
                    return last is null ? ExitCodes.Ok : ExitCode(last);
                }
                return await RunDirectAsync(graph, job, request, options, log, error, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("retrain: stopped");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    /// <summary>
    /// Where new policy versions go: the flag, else <c>GRAPHROUTER_POLICIES</c>, else beside a SQLite file. Never the
    /// bundled <c>data/policies</c>: that folder is the product's shipped copy, and trained versions are deployment state.
    /// </summary>
    internal static string PoliciesFolder(DirectoryInfo? flag, StoreLocation location)
    {
        if (flag is not null)
        {
            return flag.FullName;
        }
        if (Environment.GetEnvironmentVariable("GRAPHROUTER_POLICIES") is { Length: > 0 } fromEnvironment)
        {
            return Path.GetFullPath(fromEnvironment);
        }
        if (location.Kind == StoreKind.Sqlite)
        {
            return Path.Combine(Path.GetDirectoryName(location.Target)!, "policies");
        }
        throw new ArgumentException("a PostgreSQL store is shared by instances that may run on other machines: give --policies (or GRAPHROUTER_POLICIES), a folder every instance reads at the same path");
    }

    /// <summary>
    /// A direct retrain is a training run too, so it shows in <c>trainingRuns</c>: queued and claimed at once, served here.
    /// Refused while other runs wait, since the queue is served oldest first. Should a worker claim this run in between,
    /// the worker serves it, and whatever this process claimed instead (a run queued after it) is served here.
    /// </summary>
    private static async Task<int> RunDirectAsync(IGraphStore store, RetrainJob job, RetrainRequest request, RetrainWorkerOptions options, TextWriter log, TextWriter error, CancellationToken cancellationToken)
    {
        var waiting = (await store.GetTrainingRunsAsync(1000, cancellationToken)).Count(r => r.Status == TrainingRunStatus.Queued);
        if (waiting > 0)
        {
            await error.WriteLineAsync($"retrain: {waiting} training run(s) are queued; a worker serves them oldest first ('graphrouter-train retrain --worker'). Nothing was written.");
            return Busy;
        }
        var queued = await store.QueueTrainingRunAsync(request.ToRunConfig(), cancellationToken);
        var claimed = await store.ClaimTrainingRunAsync(options.WorkerId, cancellationToken);
        if (claimed is null)
        {
            await error.WriteLineAsync($"retrain: training run {queued.Id} was claimed by a worker first; follow it in trainingRuns");
            return Busy;
        }
        if (claimed.Id != queued.Id)
        {
            await log.WriteLineAsync($"training run {queued.Id} was claimed by a worker first; serving run {claimed.Id}, queued after it, instead");
        }
        var ended = await RetrainWorker.ServeAsync(store, job, claimed, options, log, cancellationToken);
        return ended is null ? ExitCodes.Failed : ExitCode(ended);
    }

    private static int ExitCode(TrainingRunRecord run) => run.Status switch
    {
        TrainingRunStatus.Succeeded => ExitCodes.Ok,
        TrainingRunStatus.Rejected => Rejected,
        _ => ExitCodes.Failed,
    };

    private static Option<TimeSpan> DurationOption(string name, string description, TimeSpan fallback) => new(name)
    {
        Description = $"{description} E.g. 500ms, 60s, 5m (default {fallback.TotalSeconds:0} s).",
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (DurationParser.TryParse(text, out var duration))
            {
                return duration;
            }
            result.AddError($"{name} '{text}' is not a duration such as 500ms, 60s or 5m");
            return default;
        },
    };
}
