namespace GraphRouter.Storage.Schema;

/// <summary>The scalar an edge carries and the column that stores it.</summary>
public sealed record EdgeWeight
{
    public required string Table { get; init; }
    public required string Column { get; init; }
    public string Meaning { get; init; } = "";
}
