using GraphRouter.Core.Datasets;
using GraphRouter.Storage.History;
using GraphRouter.Storage.Import;

namespace GraphRouter.Storage;

/// <summary>
/// The graph and the service state beside it, behind one interface per backend (SQLite embedded,
/// PostgreSQL shared; a graph database could implement it later). Every write is one transaction.
/// Feedback, the model registry, policies and training runs join this interface as the service grows.
/// </summary>
public interface IGraphStore : IAsyncDisposable
{
    /// <summary>Where this store lives.</summary>
    StoreLocation Location { get; }

    /// <summary>Applies the pending versioned migrations of graph-schema/, each in its own transaction; returns the versions applied (none when up to date).</summary>
    Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Imports a validated preference dataset in one transaction. Idempotent by natural keys: what is
    /// already stored is kept as it is, and the result counts only what was added.
    /// </summary>
    Task<ImportResult> ImportAsync(PreferenceDataset dataset, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Imports a quality table in one transaction: its catalog LLMs (with prices) into the model registry,
    /// its prompts as <c>Query</c> nodes and each measured quality as a <c>Response</c> with a score and no text.
    /// </summary>
    Task<ImportResult> ImportQualityTableAsync(QualityTable table, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Counts per node type and per edge type (as graph-schema/schema.json names them), and interactions.</summary>
    Task<GraphStats> GetStatsAsync(CancellationToken cancellationToken = default);

    /// <summary>A user's latest <paramref name="limit"/> interactions, newest first, each with its query and rated responses; empty for an unknown user.</summary>
    Task<IReadOnlyList<HistoryEntry>> GetUserHistoryAsync(string userExternalId, int limit, CancellationToken cancellationToken = default);
}
