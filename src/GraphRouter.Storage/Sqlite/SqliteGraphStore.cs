using System.Buffers.Text;
using System.Text;
using SQLitePCL;
using System.Globalization;
using GraphRouter.Core.Datasets;
using GraphRouter.Storage.Changes;
using GraphRouter.Storage.History;
using GraphRouter.Storage.Import;
using GraphRouter.Storage.Schema;
using GraphRouter.Storage.Tenancy;
using Microsoft.Data.Sqlite;

namespace GraphRouter.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with foreign keys enforced. One connection, used by
/// one operation at a time; the history read and the feedback write keep their prepared statements.
/// Writes begin with <c>BEGIN IMMEDIATE</c> and wait up to 30 s for a lock held by another process or
/// store on the same file (busy timeout), so several writers serialize instead of failing.
/// </summary>
public sealed partial class SqliteGraphStore : IGraphStore
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCheckpointer _checkpointer;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private sqlite3_stmt? _historyStatement;
    private readonly ImmutableRowCache<(string ExternalId, string Text)> _queries;
    private readonly ImmutableRowCache<string> _llmNames;
    private readonly ImmutableRowCache<(string? Text, double? CostUsd)> _responses;

    private SqliteGraphStore(StoreLocation location, SqliteConnection connection, SqliteCheckpointer checkpointer, TimeProvider time)
    {
        Location = location;
        _connection = connection;
        _checkpointer = checkpointer;
        _time = time;
        _queries = new ImmutableRowCache<(string, string)>(connection, "SELECT external_id, text FROM queries WHERE id = $id", r => (r.GetString(0), r.GetString(1)));
        _llmNames = new ImmutableRowCache<string>(connection, "SELECT name FROM llms WHERE id = $id", r => r.GetString(0));
        _responses = new ImmutableRowCache<(string?, double?)>(connection, "SELECT text, cost_usd FROM responses WHERE id = $id",
            r => (r.IsDBNull(0) ? null : r.GetString(0), r.IsDBNull(1) ? null : r.GetDouble(1)));
    }

    public StoreLocation Location { get; }

    /// <summary>Opens (creating when absent) the SQLite file <paramref name="location"/> names, with the default options.</summary>
    public static SqliteGraphStore Open(StoreLocation location) => Open(location, GraphStoreOptions.Default);

    /// <summary>
    /// Opens (creating when absent) the SQLite file <paramref name="location"/> names. Commits are synced
    /// as <see cref="GraphStoreOptions.SqliteSynchronous"/> says (NORMAL by default: an acknowledged commit
    /// survives a killed process; FULL makes it survive a power loss too, at one disk sync per commit).
    /// </summary>
    public static SqliteGraphStore Open(StoreLocation location, GraphStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ChangeLogRetention, 1, nameof(options));
        if (location.Kind != StoreKind.Sqlite)
        {
            throw new ArgumentException($"not a SQLite location: {location}", nameof(location));
        }
        SqliteConnection? connection = null;
        try
        {
            var folder = Path.GetDirectoryName(location.Target);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
            var builder = new SqliteConnectionStringBuilder
            {
                DataSource = location.Target,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
                DefaultTimeout = 30,
            };
            connection = new SqliteConnection(builder.ConnectionString);
            connection.Open();
            var synchronous = options.SqliteSynchronous switch
            {
                SqliteSynchronous.Normal => "NORMAL",
                SqliteSynchronous.Full => "FULL",
                _ => throw new ArgumentOutOfRangeException(nameof(options), options.SqliteSynchronous, "unknown SQLite synchronous level"),
            };
            // Checkpoints run beside the writes, not inside the commit that fills the WAL (SqliteCheckpointer).
            Execute(connection, $"""
                PRAGMA journal_mode = WAL;
                PRAGMA foreign_keys = ON;
                PRAGMA synchronous = {synchronous};
                PRAGMA busy_timeout = 30000;
                PRAGMA cache_size = -65536;
                PRAGMA mmap_size = 268435456;
                PRAGMA temp_store = MEMORY;
                PRAGMA wal_autocheckpoint = 0;
                """);
            return new SqliteGraphStore(location, connection, new SqliteCheckpointer(builder.ConnectionString), options.Time)
            {
                ChangeLogRetention = options.ChangeLogRetention,
            };
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
            throw new StoreUnavailableException($"cannot open the SQLite store {location.Target}: {e.Message}", e);
        }
    }

    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var applied = new List<int>();
            var current = CurrentVersion();
            foreach (var migration in MigrationCatalog.For(StoreKind.Sqlite))
            {
                if (migration.Version <= current)
                {
                    continue;
                }
                if (migration.ForeignKeysOff)
                {
                    // Outside any transaction: inside one, SQLite ignores the pragma.
                    Execute(_connection, "PRAGMA foreign_keys = OFF");
                }
                try
                {
                    using var transaction = _connection.BeginTransaction(deferred: false);
                    if (migration.Version <= CurrentVersion(transaction))
                    {
                        // Another process on the file applied it while this one waited for the write lock.
                        continue;
                    }
                    Execute(_connection, migration.Sql, transaction);
                    if (migration.ForeignKeysOff)
                    {
                        CheckForeignKeys(migration, transaction);
                    }
                    using var record = Command("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t)", transaction);
                    record.Parameters.AddWithValue("$v", migration.Version);
                    record.Parameters.AddWithValue("$n", migration.Name);
                    record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                    record.ExecuteNonQuery();
                    transaction.Commit();
                }
                finally
                {
                    if (migration.ForeignKeysOff)
                    {
                        Execute(_connection, "PRAGMA foreign_keys = ON");
                    }
                }
                _checkpointer.Committed();
                applied.Add(migration.Version);
            }
            return applied;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The last step of a migration run with foreign keys off: every reference must still resolve, else the migration
    /// is rolled back whole (the exception leaves the transaction uncommitted).
    /// </summary>
    private void CheckForeignKeys(Schema.Migration migration, SqliteTransaction transaction)
    {
        using var check = Command("PRAGMA foreign_key_check", transaction);
        using var reader = check.ExecuteReader();
        if (reader.Read())
        {
            throw new InvalidOperationException(
                $"migration {migration.Version} ({migration.Name}) would leave a dangling reference from table {reader.GetString(0)} to {reader.GetString(2)}; nothing was changed");
        }
    }

    private int CurrentVersion(SqliteTransaction? transaction = null)
    {
        using var exists = Command("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", transaction);
        if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }
        using var max = Command("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", transaction);
        return Convert.ToInt32(max.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public async Task<ImportResult> ImportAsync(PreferenceDataset dataset, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return await InOneTransactionAsync(dataset.Name, writer => writer.Import(dataset, progress, cancellationToken), cancellationToken);
    }

    public async Task<ImportResult> ImportQualityTableAsync(QualityTable table, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        return await InOneTransactionAsync(StoreChangeKind.QualityTableKey, writer => writer.ImportQualityTable(table, progress, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Runs one import through a writer under the store's gate in one transaction: all of it is committed, or none;
    /// with its <see cref="StoreChangeKind.Import"/> change when it added anything.
    /// </summary>
    private async Task<ImportResult> InOneTransactionAsync(string name, Func<SqliteGraphWriter, ImportResult> import, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            var result = import(new SqliteGraphWriter(_connection, transaction));
            if (!result.AddedNothing)
            {
                WriteChange(transaction, StoreChangeKind.Import, name);
            }
            transaction.Commit();
            _checkpointer.Committed(SqliteCheckpointer.CommitsPerCheckpoint);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<GraphStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var schema = GraphSchema.Current;
            return new GraphStats
            {
                Nodes = schema.NodeTypes.Select(n => new NodeTypeCount(n.Name, Count($"SELECT COUNT(*) FROM {n.Table}"))).ToList(),
                Edges = schema.EdgeTypes.Select(e => new EdgeTypeCount(e.Source, e.Relation, e.Target, Count(e.CountSql()))).ToList(),
                Interactions = Count("SELECT COUNT(*) FROM interactions"),
            };
        }
        finally
        {
            _gate.Release();
        }
    }

    private long Count(string sql)
    {
        using var command = Command(sql);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<HistoryEntry>> GetUserHistoryAsync(TenantUser user, int limit, CancellationToken cancellationToken = default)
    {
        user.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return ReadHistory(user, limit);
        }
        finally
        {
            _gate.Release();
        }
    }

    private List<HistoryEntry> ReadHistory(TenantUser user, int limit)
    {
        // The hottest read of the serving path: a prepared statement stepped through SQLitePCL directly,
        // which skips Microsoft.Data.Sqlite's per-column overhead (about half the time at 300 rows).
        if (_historyStatement is null)
        {
            Check(raw.sqlite3_prepare_v2(_connection.Handle, HistorySql, out var statement));
            _historyStatement = statement;
        }
        var st = _historyStatement;
        try
        {
            Check(raw.sqlite3_bind_text(st, 1, user.Tenant));
            Check(raw.sqlite3_bind_text(st, 2, user.UserId));
            Check(raw.sqlite3_bind_int64(st, 3, limit));
            var entries = new List<HistoryEntry>(Math.Min(limit, 1024));
            int rc;
            while ((rc = raw.sqlite3_step(st)) == raw.SQLITE_ROW)
            {
                var query = _queries.Get(raw.sqlite3_column_int64(st, 3));
                entries.Add(new HistoryEntry
                {
                    Conversation = raw.sqlite3_column_text(st, 0).utf8_to_string(),
                    Step = raw.sqlite3_column_int(st, 1),
                    Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(raw.sqlite3_column_int64(st, 2)),
                    QueryId = query.ExternalId,
                    QueryText = query.Text,
                    Responses = raw.sqlite3_column_type(st, 4) == raw.SQLITE_NULL ? [] : UnpackTurns(raw.sqlite3_column_blob(st, 4)),
                });
            }
            if (rc != raw.SQLITE_DONE)
            {
                Check(rc);
            }
            return entries;
        }
        finally
        {
            raw.sqlite3_reset(st);
            raw.sqlite3_clear_bindings(st);
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK && rc != raw.SQLITE_ROW && rc != raw.SQLITE_DONE)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_connection.Handle).utf8_to_string(), rc);
        }
    }

    /// <summary>Reads an interaction's packed turns (UTF-8 "llm_id,rating,response_id;..." in turn order, migration 0002).</summary>
    private List<RatedResponse> UnpackTurns(ReadOnlySpan<byte> packed)
    {
        var responses = new List<RatedResponse>(3);
        while (!packed.IsEmpty)
        {
            var end = packed.IndexOf((byte)';');
            var turn = end < 0 ? packed : packed[..end];
            packed = end < 0 ? [] : packed[(end + 1)..];
            if (!Utf8Parser.TryParse(turn, out long llmId, out var used) || used >= turn.Length || turn[used] != (byte)',')
            {
                throw new InvalidDataException($"malformed packed turn '{Encoding.UTF8.GetString(turn)}'");
            }
            turn = turn[(used + 1)..];
            if (!Utf8Parser.TryParse(turn, out double rating, out used) || used >= turn.Length || turn[used] != (byte)',')
            {
                throw new InvalidDataException($"malformed packed turn rating in '{Encoding.UTF8.GetString(turn)}'");
            }
            turn = turn[(used + 1)..];
            if (!Utf8Parser.TryParse(turn, out long responseId, out used) || used != turn.Length)
            {
                throw new InvalidDataException($"malformed packed turn response in '{Encoding.UTF8.GetString(turn)}'");
            }
            var response = _responses.Get(responseId);
            responses.Add(new RatedResponse
            {
                Llm = _llmNames.Get(llmId),
                Rating = rating,
                Text = response.Text,
                CostUsd = response.CostUsd,
            });
        }
        return responses;
    }

    // The user's latest interactions, newest first: the user's id by the unique index on (tenant_id, external_id)
    // (migration 0008), then straight off the covering index interactions_user_recent (user_id, occurred_at DESC,
    // id DESC, ..., turns_packed): one row per interaction, no sort, no join. Query texts, LLM names and responses
    // never change once stored: they come from in-memory caches (responses are shared by every user shown them).
    internal const string HistorySql = """
        SELECT c.conversation, c.step, c.occurred_at, c.query_id, c.turns_packed
        FROM interactions c
        WHERE c.user_id = (SELECT id FROM users WHERE tenant_id = ?1 AND external_id = ?2)
        ORDER BY c.occurred_at DESC, c.id DESC
        LIMIT ?3
        """;

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs <paramref name="work"/> under the store's gate: one operation at a time on the connection.</summary>
    private async Task<T> GatedAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return work();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> under the gate in one <c>BEGIN IMMEDIATE</c> transaction (the write lock
    /// taken up front, so the reads inside see the latest commit and no other writer interleaves), committed
    /// when it returns and rolled back when it throws.
    /// </summary>
    private Task<T> InWriteTransactionAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken) =>
        GatedAsync(() =>
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            var result = work(transaction);
            transaction.Commit();
            _checkpointer.Committed();
            return result;
        }, cancellationToken);

    /// <summary>The store clock's now in the SQLite timestamp representation (Unix milliseconds UTC).</summary>
    private long NowMilliseconds() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static DateTimeOffset? OptionalTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private static string? OptionalString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static double? OptionalDouble(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await GatedAsync(() =>
            {
                // Reads the schema's own table: an unmigrated, deleted or unreadable file does not answer.
                using var command = Command("SELECT MAX(version) FROM schema_migrations");
                return command.ExecuteScalar() is long;
            }, cancellationToken);
        }
        catch (Exception e) when (e is SqliteException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    private int _disposed;

    /// <summary>Stops the checkpointer and closes the connection (SQLite checkpoints the WAL as the last connection closes); a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _checkpointer.DisposeAsync();
        _feedbackWriter?.Dispose();
        _insertChange?.Dispose();
        _historyStatement?.Dispose();
        _queries.Dispose();
        _llmNames.Dispose();
        _responses.Dispose();
        _connection.Dispose();
        _gate.Dispose();
    }
}
