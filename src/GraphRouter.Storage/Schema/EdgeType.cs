using System.Text;

namespace GraphRouter.Storage.Schema;

/// <summary>A directed edge type (source, relation, target) and how its edges are stored.</summary>
public sealed record EdgeType
{
    public required string Source { get; init; }
    public required string Relation { get; init; }
    public required string Target { get; init; }
    public string Description { get; init; } = "";
    public EdgeWeight? Weight { get; init; }
    public required EdgeStorage Storage { get; init; }

    /// <summary>
    /// SQL that counts this type's edges: the rows of the storage table whose reference path resolves
    /// (every hop a join on the referenced table's id, the last hop's column present).
    /// </summary>
    public string CountSql()
    {
        var sql = new StringBuilder($"SELECT COUNT(*) FROM {Storage.Table} h0");
        var path = Storage.Path;
        for (var i = 0; i < path.Count - 1; i++)
        {
            sql.Append($" JOIN {path[i].References} h{i + 1} ON h{i + 1}.id = h{i}.{path[i].Column}");
        }
        if (path.Count > 0)
        {
            sql.Append($" WHERE h{path.Count - 1}.{path[^1].Column} IS NOT NULL");
        }
        return sql.ToString();
    }
}
