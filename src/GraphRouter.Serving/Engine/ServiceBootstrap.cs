using System.Diagnostics;
using System.Text.Json;
using GraphRouter.Core.Datasets;
using GraphRouter.Routing.Policies;
using GraphRouter.Storage;
using GraphRouter.Storage.Feedback;
using GraphRouter.Storage.Policies;
using GraphRouter.Storage.Registry;
using GraphRouter.Storage.TrainingRuns;

namespace GraphRouter.Serving.Engine;

/// <summary>What <see cref="ServiceBootstrap.PrepareAsync"/> did.</summary>
public sealed record BootstrapReport
{
    public required IReadOnlyList<int> MigrationsApplied { get; init; }
    /// <summary>The dataset imported into an empty store, or null when the store already held interactions.</summary>
    public string? ImportedDataset { get; init; }
    public required IReadOnlyList<string> PoliciesRegistered { get; init; }
    /// <summary>The policy activated because none was, or null.</summary>
    public string? ActivatedPolicy { get; init; }
    public required TimeSpan Elapsed { get; init; }
}

/// <summary>
/// First-start preparation of a store for serving: migrations; the bundled dataset imported when the store
/// holds no interaction yet; every bundled policy folder verified and registered; the newest bundled policy
/// activated when none is active. Idempotent: a second start changes nothing.
/// </summary>
public static class ServiceBootstrap
{
    /// <param name="dataset">A routerbench-format folder to import into an empty store (null: import nothing).</param>
    /// <param name="policies">A folder of policy folders (each named by its version) to register (null: none).</param>
    public static async Task<BootstrapReport> PrepareAsync(IGraphStore store, string? dataset, string? policies, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(log);
        var watch = Stopwatch.StartNew();
        var applied = await store.MigrateAsync(cancellationToken);
        if (applied.Count > 0)
        {
            await log.WriteLineAsync($"applied migration(s) {string.Join(", ", applied)} to {store.Location}");
        }

        string? imported = null;
        var stats = await store.GetStatsAsync(cancellationToken);
        if (stats.Interactions == 0 && dataset is not null)
        {
            await log.WriteLineAsync($"empty store: importing the bundled dataset {dataset}");
            var data = RouterBenchReader.Load(dataset);
            var result = await store.ImportAsync(data, new LogProgress(log), cancellationToken);
            await log.WriteLineAsync($"imported {data.Name}: {result}");
            imported = data.Name;
        }

        var registered = new List<string>();
        string? activated = null;
        if (policies is not null && Directory.Exists(policies))
        {
            // A policy folder is named by its version (PolicyLoader enforces it), so a registered one is skipped by
            // name, without hashing its files again: the engine verifies the active policy when it loads it.
            var known = (await store.GetPoliciesAsync(cancellationToken)).Select(p => p.Version).ToHashSet(StringComparer.Ordinal);
            // Hidden folders are not versions: an export writes into ".export-*" and renames it when complete, so a
            // job killed mid-export leaves one behind.
            var folders = Directory.GetDirectories(policies)
                .Where(f => !Path.GetFileName(f).StartsWith('.'))
                .Order(StringComparer.Ordinal)
                .ToList();
            foreach (var folder in folders.Where(f => !known.Contains(Path.GetFileName(f))))
            {
                var manifest = PolicyLoader.Verify(folder);
                await store.RegisterPolicyAsync(Registration(manifest, folder), cancellationToken);
                registered.Add(manifest.Version);
                await log.WriteLineAsync($"registered policy {manifest.Version} from {folder}");
            }
            if (folders.Count > 0 && await store.GetActivePolicyAsync(cancellationToken) is null)
            {
                var newest = folders.Select(PolicyLoader.Verify).OrderByDescending(m => m.Created).First();
                await store.ActivatePolicyAsync(newest.Version, cancellationToken);
                activated = newest.Version;
                await log.WriteLineAsync($"activated the bundled policy {activated}");
            }
        }
        return new BootstrapReport
        {
            MigrationsApplied = applied,
            ImportedDataset = imported,
            PoliciesRegistered = registered,
            ActivatedPolicy = activated,
            Elapsed = watch.Elapsed,
        };
    }

    /// <summary>A verified policy folder as the store records it (absolute path, manifest and metrics as JSON).</summary>
    public static PolicyRegistration Registration(PolicyManifest manifest, string folder) => new()
    {
        Version = manifest.Version,
        Created = manifest.Created,
        Path = Path.GetFullPath(folder),
        ManifestJson = File.ReadAllText(Path.Combine(folder, PolicyManifest.FileName)),
        MetricsJson = JsonSerializer.Serialize(manifest.Metrics),
    };

    private sealed class LogProgress(TextWriter log) : IProgress<GraphRouter.Storage.Import.ImportProgress>
    {
        public void Report(GraphRouter.Storage.Import.ImportProgress value) => log.WriteLine($"  {value.Item}: {value.Total:N0} ({value.Added:N0} new)");
    }
}
