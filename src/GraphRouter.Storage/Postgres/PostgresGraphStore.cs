using System.Net.Sockets;
using GraphRouter.Core.Datasets;
using GraphRouter.Storage.Changes;
using GraphRouter.Storage.History;
using GraphRouter.Storage.Import;
using GraphRouter.Storage.Schema;
using GraphRouter.Storage.Tenancy;
using Npgsql;

namespace GraphRouter.Storage.Postgres;

/// <summary>
/// The server store: PostgreSQL through a pooled Npgsql data source, safe to share between service
/// instances. Writes run at READ COMMITTED; what must not interleave is serialized by row locks (a
/// user's feedback) or transaction-scoped advisory locks (migrations, policy activation), and a write
/// that loses a race to a unique key re-reads what won.
/// </summary>
public sealed partial class PostgresGraphStore : IGraphStore
{
    // Serializes concurrent migrations from several instances (pg_advisory_xact_lock key).
    private const long MigrationLockKey = 0x4752_5270_4d69_67;

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;

    private PostgresGraphStore(StoreLocation location, NpgsqlDataSource dataSource, TimeProvider time)
    {
        Location = location;
        _dataSource = dataSource;
        _time = time;
    }

    public StoreLocation Location { get; }

    /// <summary>Connects to the server <paramref name="location"/> names, with the default options, and checks that it answers.</summary>
    public static Task<PostgresGraphStore> OpenAsync(StoreLocation location, CancellationToken cancellationToken = default) =>
        OpenAsync(location, GraphStoreOptions.Default, cancellationToken);

    /// <summary>Connects to the server <paramref name="location"/> names and checks that it answers.</summary>
    public static async Task<PostgresGraphStore> OpenAsync(StoreLocation location, GraphStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ChangeLogRetention, 1, nameof(options));
        if (location.Kind != StoreKind.Postgres)
        {
            throw new ArgumentException($"not a PostgreSQL location: {location}", nameof(location));
        }
        var dataSource = NpgsqlDataSource.Create(location.Target);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return new PostgresGraphStore(location, dataSource, options.Time) { ChangeLogRetention = options.ChangeLogRetention };
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            await dataSource.DisposeAsync();
            throw new StoreUnavailableException($"cannot reach the PostgreSQL store {location}: {e.Message}", e);
        }
    }

    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var applied = new List<int>();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var migration in MigrationCatalog.For(StoreKind.Postgres))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
            {
                lockCommand.Parameters.AddWithValue("key", MigrationLockKey);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }
            if (migration.Version <= await CurrentVersionAsync(connection, transaction, cancellationToken))
            {
                continue;
            }
            await using (var script = new NpgsqlCommand(migration.Sql, connection, transaction))
            {
                await script.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, now())", connection, transaction))
            {
                record.Parameters.AddWithValue("v", migration.Version);
                record.Parameters.AddWithValue("n", migration.Name);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            applied.Add(migration.Version);
        }
        return applied;
    }

    private static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection, transaction);
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
        {
            return 0;
        }
        await using var max = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", connection, transaction);
        return (int)(await max.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<ImportResult> ImportAsync(PreferenceDataset dataset, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return await InOneTransactionAsync(dataset.Name, writer => writer.ImportAsync(dataset, progress, cancellationToken), cancellationToken);
    }

    public async Task<ImportResult> ImportQualityTableAsync(QualityTable table, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        return await InOneTransactionAsync(StoreChangeKind.QualityTableKey, writer => writer.ImportQualityTableAsync(table, progress, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Runs one import through a writer on its own connection and transaction: all of it is committed, or none;
    /// with its <see cref="StoreChangeKind.Import"/> change when it added anything.
    /// </summary>
    private async Task<ImportResult> InOneTransactionAsync(string name, Func<PostgresGraphWriter, Task<ImportResult>> import, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await import(new PostgresGraphWriter(connection, transaction));
        if (!result.AddedNothing)
        {
            await WriteChangeAsync(connection, transaction, StoreChangeKind.Import, name, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public async Task<GraphStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        var schema = GraphSchema.Current;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var nodes = new List<NodeTypeCount>();
        foreach (var node in schema.NodeTypes)
        {
            nodes.Add(new NodeTypeCount(node.Name, await CountAsync(connection, $"SELECT COUNT(*) FROM {node.Table}", cancellationToken)));
        }
        var edges = new List<EdgeTypeCount>();
        foreach (var edge in schema.EdgeTypes)
        {
            edges.Add(new EdgeTypeCount(edge.Source, edge.Relation, edge.Target, await CountAsync(connection, edge.CountSql(), cancellationToken)));
        }
        return new GraphStats
        {
            Nodes = nodes,
            Edges = edges,
            Interactions = await CountAsync(connection, "SELECT COUNT(*) FROM interactions", cancellationToken),
        };
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<HistoryEntry>> GetUserHistoryAsync(TenantUser user, int limit, CancellationToken cancellationToken = default)
    {
        user.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var command = _dataSource.CreateCommand(HistorySql);
        command.Parameters.AddWithValue("tenant", user.Tenant);
        command.Parameters.AddWithValue("user", user.UserId);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<HistoryEntry>();
        long interaction = -1;
        List<RatedResponse>? responses = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            if (id != interaction)
            {
                interaction = id;
                responses = new List<RatedResponse>(3);
                entries.Add(new HistoryEntry
                {
                    Conversation = reader.GetString(1),
                    Step = reader.GetInt32(2),
                    Timestamp = reader.GetFieldValue<DateTimeOffset>(3),
                    QueryId = reader.GetString(4),
                    QueryText = reader.GetString(5),
                    Responses = responses,
                });
            }
            responses!.Add(new RatedResponse
            {
                Llm = reader.GetString(6),
                Rating = reader.GetDouble(7),
                Text = reader.IsDBNull(8) ? null : reader.GetString(8),
                CostUsd = reader.IsDBNull(9) ? null : reader.GetDouble(9),
            });
        }
        return entries;
    }

    // The user's id by the unique index on (tenant_id, external_id) (migration 0008), then the user's latest
    // interactions off interactions_user_recent (user_id, occurred_at DESC, id DESC).
    internal const string HistorySql = """
        SELECT i.id, i.conversation, i.step, i.occurred_at, q.external_id, q.text, l.name, t.rating, r.text, r.cost_usd
        FROM (SELECT id, conversation, step, occurred_at, query_id
              FROM interactions
              WHERE user_id = (SELECT id FROM users WHERE tenant_id = @tenant AND external_id = @user)
              ORDER BY occurred_at DESC, id DESC
              LIMIT @limit) AS i
        JOIN queries q ON q.id = i.query_id
        JOIN turns t ON t.interaction_id = i.id
        JOIN llms l ON l.id = t.llm_id
        JOIN responses r ON r.id = t.response_id
        ORDER BY i.occurred_at DESC, i.id DESC, t.id
        """;

    private bool _disposed;

    /// <summary>Stops the change listener, if one was started, and closes the pool; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        PostgresChangeListener? listener;
        lock (_listenerLock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            listener = _listener;
        }
        if (listener is not null)
        {
            await listener.DisposeAsync();
        }
        await _dataSource.DisposeAsync();
    }
}
