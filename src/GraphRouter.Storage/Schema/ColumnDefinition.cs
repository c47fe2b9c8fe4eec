namespace GraphRouter.Storage.Schema;

/// <summary>A column: its name, logical type (a key of schema.json's logicalTypes) and nullability.</summary>
public sealed record ColumnDefinition
{
    public required string Name { get; init; }
    public required string Type { get; init; }
    public required bool Nullable { get; init; }
}
