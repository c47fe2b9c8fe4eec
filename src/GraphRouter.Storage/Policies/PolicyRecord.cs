namespace GraphRouter.Storage.Policies;

/// <summary>A registered policy version: where its artifact folder is, its manifest and validation metrics, and whether it is the active one.</summary>
public sealed record PolicyRecord
{
    public required string Version { get; init; }
    public required DateTimeOffset Created { get; init; }

    /// <summary>The policy folder (manifest.json, ONNX graphs, vectors).</summary>
    public required string Path { get; init; }

    /// <summary>The manifest as the backend returns it: PostgreSQL's jsonb normalises whitespace and key order.</summary>
    public required string ManifestJson { get; init; }

    public string? MetricsJson { get; init; }

    /// <summary>At most one policy is active at any instant.</summary>
    public required bool Active { get; init; }

    /// <summary>When it last became active (by activation or rollback); null if never.</summary>
    public DateTimeOffset? ActivatedAt { get; init; }
}
