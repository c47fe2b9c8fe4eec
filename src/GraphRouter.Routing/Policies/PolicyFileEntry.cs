namespace GraphRouter.Routing.Policies;

/// <summary>One file of a policy artifact: its path relative to the policy folder ('/' separated), SHA-256 (lower-case hex) and size.</summary>
public sealed record PolicyFileEntry
{
    public required string Path { get; init; }
    public required string Sha256 { get; init; }
    public required long SizeBytes { get; init; }
}
