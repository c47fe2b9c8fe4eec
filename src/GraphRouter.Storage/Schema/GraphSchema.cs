using System.Text.Json;

namespace GraphRouter.Storage.Schema;

/// <summary>graph-schema/schema.json, the one source of truth for node types, edge types and tables, as embedded in this assembly.</summary>
public sealed record GraphSchema
{
    public const string ResourceName = "graph-schema/schema.json";

    private static readonly Lazy<GraphSchema> Embedded = new(LoadEmbedded);

    public required int SchemaVersion { get; init; }
    public required IReadOnlyDictionary<string, LogicalType> LogicalTypes { get; init; }
    public required IReadOnlyList<NodeType> NodeTypes { get; init; }
    public required IReadOnlyList<EdgeType> EdgeTypes { get; init; }
    public required IReadOnlyList<TableDefinition> Tables { get; init; }

    /// <summary>The schema this build of the store was made with.</summary>
    public static GraphSchema Current => Embedded.Value;

    public static GraphSchema Parse(Stream json) =>
        JsonSerializer.Deserialize<GraphSchema>(json, JsonOptions)
        ?? throw new InvalidDataException($"{ResourceName} is empty");

    public NodeType Node(string name) =>
        NodeTypes.FirstOrDefault(n => n.Name == name) ?? throw new ArgumentException($"no node type '{name}' in {ResourceName}", nameof(name));

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectRequiredConstructorParameters = true,
    };

    private static GraphSchema LoadEmbedded()
    {
        using var stream = typeof(GraphSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(GraphSchema).Assembly.GetName().Name}");
        return Parse(stream);
    }
}
