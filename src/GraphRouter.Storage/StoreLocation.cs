using Npgsql;

namespace GraphRouter.Storage;

/// <summary>
/// Where a graph store lives: <c>sqlite:PATH</c> (one file, the embedded default) or
/// <c>postgres:CONNSTRING</c> (an Npgsql connection string, for a server several instances share).
/// </summary>
public sealed record StoreLocation
{
    public const string Syntax = "sqlite:PATH | postgres:CONNSTRING";

    private StoreLocation(StoreKind kind, string target)
    {
        Kind = kind;
        Target = target;
    }

    public StoreKind Kind { get; }

    /// <summary>The SQLite file's full path, or the PostgreSQL connection string.</summary>
    public string Target { get; }

    public static StoreLocation Sqlite(string path) => new(StoreKind.Sqlite, Path.GetFullPath(path));

    public static StoreLocation Postgres(string connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new FormatException($"postgres store: the connection string is not valid: {e.Message}", e);
        }
        return new(StoreKind.Postgres, connectionString);
    }

    /// <summary>The default store: a SQLite file in the user's local data folder (<c>graphrouter/graphrouter.db</c>).</summary>
    public static StoreLocation Default()
    {
        var folder = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(folder))
        {
            throw new FormatException("no local application data folder is known for this user: give the store explicitly with --store " + Syntax);
        }
        return Sqlite(Path.Combine(folder, "graphrouter", "graphrouter.db"));
    }

    /// <summary>Parses <c>sqlite:PATH</c> or <c>postgres:CONNSTRING</c>; anything else is a <see cref="FormatException"/> that says what is accepted.</summary>
    public static StoreLocation Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon < 0 ? "" : text[..colon].Trim().ToLowerInvariant();
        var rest = colon < 0 ? "" : text[(colon + 1)..].Trim();
        switch (scheme)
        {
            case "sqlite" when rest.Length > 0:
                return Sqlite(rest);
            case "postgres" or "postgresql" when rest.Length > 0:
                return Postgres(rest);
            case "sqlite" or "postgres" or "postgresql":
                throw new FormatException($"store '{text}': nothing after '{scheme}:'; expected {Syntax}");
            default:
                throw new FormatException($"store '{text}' is not understood; expected {Syntax}");
        }
    }

    /// <summary>The location as it can be shown: the PostgreSQL password is left out.</summary>
    public override string ToString()
    {
        if (Kind == StoreKind.Sqlite)
        {
            return "sqlite:" + Target;
        }
        var builder = new NpgsqlConnectionStringBuilder(Target) { Password = null };
        return "postgres:" + builder.ConnectionString;
    }
}
