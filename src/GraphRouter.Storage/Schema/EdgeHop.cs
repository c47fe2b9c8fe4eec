namespace GraphRouter.Storage.Schema;

/// <summary>One reference along an edge's storage path: a column holding an id of <see cref="References"/>.</summary>
public sealed record EdgeHop
{
    public required string Column { get; init; }
    public required string References { get; init; }
}
