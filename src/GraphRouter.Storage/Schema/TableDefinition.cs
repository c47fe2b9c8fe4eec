namespace GraphRouter.Storage.Schema;

/// <summary>A table the migrations create, as schema.json describes it.</summary>
public sealed record TableDefinition
{
    public required string Name { get; init; }
    public string Role { get; init; } = "";
    public required IReadOnlyList<ColumnDefinition> Columns { get; init; }
    public required IReadOnlyList<string> PrimaryKey { get; init; }
    public required IReadOnlyList<IReadOnlyList<string>> Unique { get; init; }
}
