namespace GraphRouter.Storage.Tests.Contract;

/// <summary>A table as a live database reports it: columns as (name, declared type, nullable), primary key and unique constraints.</summary>
public sealed record IntrospectedTable
{
    public required string Name { get; init; }
    public required IReadOnlyList<(string Name, string Type, bool Nullable)> Columns { get; init; }
    public required IReadOnlyList<string> PrimaryKey { get; init; }
    public required IReadOnlyList<string> Unique { get; init; }
}
