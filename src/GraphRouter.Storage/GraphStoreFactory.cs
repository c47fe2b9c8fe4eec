using GraphRouter.Storage.Postgres;
using GraphRouter.Storage.Sqlite;

namespace GraphRouter.Storage;

/// <summary>Opens the store a <see cref="StoreLocation"/> names.</summary>
public static class GraphStoreFactory
{
    /// <summary>Opens the store and checks that it answers; a store that cannot be reached is a <see cref="StoreUnavailableException"/>.</summary>
    public static Task<IGraphStore> OpenAsync(StoreLocation location, CancellationToken cancellationToken = default) =>
        OpenAsync(location, GraphStoreOptions.Default, cancellationToken);

    /// <summary>Opens the store with <paramref name="options"/> (its clock, SQLite's sync level) and checks that it answers.</summary>
    public static async Task<IGraphStore> OpenAsync(StoreLocation location, GraphStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(options);
        return location.Kind switch
        {
            StoreKind.Sqlite => SqliteGraphStore.Open(location, options),
            StoreKind.Postgres => await PostgresGraphStore.OpenAsync(location, options, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(location), location.Kind, "unknown store kind"),
        };
    }
}
