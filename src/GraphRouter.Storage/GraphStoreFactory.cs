using GraphRouter.Storage.Postgres;
using GraphRouter.Storage.Sqlite;

namespace GraphRouter.Storage;

/// <summary>Opens the store a <see cref="StoreLocation"/> names.</summary>
public static class GraphStoreFactory
{
    /// <summary>Opens the store and checks that it answers; a store that cannot be reached is a <see cref="StoreUnavailableException"/>.</summary>
    public static async Task<IGraphStore> OpenAsync(StoreLocation location, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.Kind switch
        {
            StoreKind.Sqlite => SqliteGraphStore.Open(location),
            StoreKind.Postgres => await PostgresGraphStore.OpenAsync(location, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(location), location.Kind, "unknown store kind"),
        };
    }
}
