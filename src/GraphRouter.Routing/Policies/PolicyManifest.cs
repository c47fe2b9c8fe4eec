using System.Text.Json;

namespace GraphRouter.Routing.Policies;

/// <summary>
/// A policy artifact's <c>manifest.json</c>: what the policy is, what it was trained on and with, how it
/// scored on the validation split, and every other file of the folder with its checksum and size.
/// </summary>
public sealed record PolicyManifest
{
    public const string FileName = "manifest.json";

    /// <summary>The policy version; the policy folder carries this name.</summary>
    public required string Version { get; init; }
    public required DateTimeOffset Created { get; init; }
    /// <summary>What data trained it (dataset name and version, store snapshot, interaction count), in words.</summary>
    public required string DataSnapshot { get; init; }
    /// <summary>The training configuration, as the trainer wrote it.</summary>
    public required JsonElement Config { get; init; }
    /// <summary>Metrics on the validation split (e.g. "pairwiseAccuracy", "auc").</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }
    /// <summary>The query encoder's name (its parameters are one of the files).</summary>
    public required string QueryEncoder { get; init; }
    /// <summary>The LLM names in the order of the exported LLM vectors.</summary>
    public required IReadOnlyList<string> Models { get; init; }
    /// <summary>Every file of the folder except the manifest itself; filled by <see cref="PolicyManifestWriter"/>.</summary>
    public IReadOnlyList<PolicyFileEntry> Files { get; init; } = [];
}
