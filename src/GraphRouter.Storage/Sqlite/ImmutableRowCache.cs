using Microsoft.Data.Sqlite;

namespace GraphRouter.Storage.Sqlite;

/// <summary>
/// Values of rows that never change once written (a query's text, an LLM's name), read by id on first
/// use and kept. Used under the store's gate, by one operation at a time.
/// </summary>
internal sealed class ImmutableRowCache<T> : IDisposable
{
    private readonly Dictionary<long, T> _values = [];
    private readonly SqliteCommand _lookup;
    private readonly Func<SqliteDataReader, T> _read;

    public ImmutableRowCache(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
    {
        _lookup = connection.CreateCommand();
        _lookup.CommandText = sql;
        _lookup.Parameters.Add("$id", SqliteType.Integer);
        _read = read;
    }

    public T Get(long id)
    {
        if (_values.TryGetValue(id, out var value))
        {
            return value;
        }
        _lookup.Parameters[0].Value = id;
        using var reader = _lookup.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidOperationException($"no row {id} for: {_lookup.CommandText}");
        }
        value = _read(reader);
        _values[id] = value;
        return value;
    }

    public void Dispose() => _lookup.Dispose();
}
