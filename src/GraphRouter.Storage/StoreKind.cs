namespace GraphRouter.Storage;

/// <summary>The backends a <see cref="StoreLocation"/> can name; the lower-case name is the location's prefix and the migrations folder.</summary>
public enum StoreKind
{
    Sqlite,
    Postgres,
}
