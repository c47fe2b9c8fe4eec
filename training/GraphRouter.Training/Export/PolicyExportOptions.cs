namespace GraphRouter.Training.Export;

/// <summary>How <see cref="PolicyExporter"/> names and describes a policy.</summary>
public sealed record PolicyExportOptions
{
    /// <summary>The version (the folder's name); null: named from the content hash (<see cref="TimeInVersion"/>).</summary>
    public string? Version { get; init; }

    /// <summary>With no <see cref="Version"/>: <see cref="PolicyExporter.TimedVersion"/> instead of <see cref="PolicyExporter.DefaultVersion"/>.</summary>
    public bool TimeInVersion { get; init; }

    /// <summary>Where the data came from (e.g. a store snapshot's description); the manifest's data snapshot starts with it.</summary>
    public string? DataSnapshot { get; init; }

    public TimeProvider? Clock { get; init; }
}
