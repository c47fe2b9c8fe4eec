namespace GraphRouter.Storage.Schema;

/// <summary>One versioned migration script of graph-schema/migrations/&lt;backend&gt;/, named <c>NNNN_name.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>The first line of a SQLite script that rebuilds a table other tables refer to (see <see cref="ForeignKeysOff"/>).</summary>
    public const string ForeignKeysOffDirective = "-- graphrouter:foreign-keys=off";

    /// <summary>
    /// The script starts with <see cref="ForeignKeysOffDirective"/>: SQLite changes a table's constraints only by
    /// rebuilding it (create a copy, move the rows, drop the old table, rename the copy), and dropping a table that
    /// others refer to with foreign keys enforced deletes rows they refer to. Such a script runs with foreign keys
    /// off, and every foreign key is checked before it commits (SQLite's documented procedure).
    /// </summary>
    public bool ForeignKeysOff => Sql.StartsWith(ForeignKeysOffDirective, StringComparison.Ordinal);
}
