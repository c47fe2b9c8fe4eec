namespace GraphRouter.Core.Domain;

/// <summary>A prompt: the <c>Query</c> node. <see cref="Task"/> is dataset metadata, never a routing input.</summary>
public sealed record QueryInfo
{
    public required string Id { get; init; }
    public required string Task { get; init; }
    public required string Text { get; init; }
}
