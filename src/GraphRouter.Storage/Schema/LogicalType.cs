namespace GraphRouter.Storage.Schema;

/// <summary>A column type of schema.json and the type each backend declares for it.</summary>
public sealed record LogicalType
{
    public required string Sqlite { get; init; }
    public required string Postgres { get; init; }
    public string Meaning { get; init; } = "";

    public string For(StoreKind kind) => kind == StoreKind.Sqlite ? Sqlite : Postgres;
}
