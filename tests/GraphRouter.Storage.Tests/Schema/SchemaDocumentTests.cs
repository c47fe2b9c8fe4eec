using GraphRouter.Storage.Schema;

namespace GraphRouter.Storage.Tests.Schema;

/// <summary>schema.json is consistent with itself: node types, edge types and tables refer to one another correctly.</summary>
public sealed class SchemaDocumentTests
{
    private static readonly GraphSchema Schema = GraphSchema.Current;

    [Fact]
    public void Names_the_five_node_types_and_five_edge_types_of_the_design()
    {
        Assert.Equal(["User", "Turn", "Query", "Llm", "Response"], Schema.NodeTypes.Select(n => n.Name));
        Assert.Equal(
            ["Query->Turn", "Llm->Turn", "Response->Turn", "Turn->User", "Turn->Turn"],
            Schema.EdgeTypes.Select(e => $"{e.Source}->{e.Target}"));
    }

    [Fact]
    public void Every_node_type_and_property_lives_in_a_described_column()
    {
        foreach (var node in Schema.NodeTypes)
        {
            var table = Table(node.Table);
            Assert.All(node.NaturalKey, k => Assert.Contains(k, table.Columns.Select(c => c.Name)));
            foreach (var property in node.Properties)
            {
                Assert.Contains(property.Column, Table(property.Table ?? node.Table).Columns.Select(c => c.Name));
            }
        }
    }

    [Fact]
    public void Every_edge_path_follows_described_references_to_its_source_or_target()
    {
        foreach (var edge in Schema.EdgeTypes)
        {
            var table = Table(edge.Storage.Table);
            foreach (var hop in edge.Storage.Path)
            {
                Assert.Contains(hop.Column, table.Columns.Select(c => c.Name));
                Assert.Equal("ref", table.Columns.Single(c => c.Name == hop.Column).Type);
                table = Table(hop.References);
            }
            var farEnd = edge.Storage.TargetColumn is null ? edge.Target : edge.Source;
            if (edge.Storage.Path.Count > 0)
            {
                Assert.Equal(Schema.Node(farEnd).Table, table.Name);
            }
            else
            {
                Assert.NotNull(edge.Storage.SourceColumn);
                Assert.NotNull(edge.Storage.TargetColumn);
            }
        }
    }

    [Fact]
    public void Every_column_type_is_a_declared_logical_type()
    {
        Assert.All(Schema.Tables.SelectMany(t => t.Columns), c => Assert.Contains(c.Type, Schema.LogicalTypes.Keys));
    }

    [Fact]
    public void The_embedded_schema_is_the_repository_file()
    {
        var path = Path.Combine(Core.Datasets.BundledData.Root(), "..", "graph-schema", "schema.json");
        using var file = File.OpenRead(path);

        var fromFile = GraphSchema.Parse(file);

        Assert.Equal(Schema.Tables.Select(t => (t.Name, t.Columns.Count)), fromFile.Tables.Select(t => (t.Name, t.Columns.Count)));
    }

    [Fact]
    public void Migrations_are_numbered_from_one_without_gaps_for_each_backend()
    {
        foreach (var kind in Enum.GetValues<StoreKind>())
        {
            var versions = MigrationCatalog.For(kind).Select(m => m.Version).ToList();
            Assert.Equal(Enumerable.Range(1, versions.Count), versions);
        }
    }

    private static TableDefinition Table(string name) =>
        Schema.Tables.SingleOrDefault(t => t.Name == name) ?? throw new Xunit.Sdk.XunitException($"table '{name}' is not described");
}
