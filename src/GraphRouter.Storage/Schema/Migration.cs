namespace GraphRouter.Storage.Schema;

/// <summary>One versioned migration script of graph-schema/migrations/&lt;backend&gt;/, named <c>NNNN_name.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql);
