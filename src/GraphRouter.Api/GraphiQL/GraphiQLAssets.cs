using System.Collections.Frozen;

namespace GraphRouter.Api.GraphiQL;

/// <summary>
/// The GraphiQL page and the files it loads, read once from the assembly's embedded resources: our page and
/// start-up script, plus GraphiQL's and React's browser builds, which the build installs from npm
/// (pinned by GraphiQL/package-lock.json) and embeds. Nothing is fetched from elsewhere at run time.
/// </summary>
internal sealed class GraphiQLAssets
{
    public const string PagePath = "/graphiql";
    private const string ResourcePrefix = "graphiql/";

    private static readonly (string Name, string ContentType)[] Files =
    [
        ("index.html", "text/html; charset=utf-8"),
        ("graphiql-start.js", "text/javascript; charset=utf-8"),
        ("graphiql.min.js", "text/javascript; charset=utf-8"),
        ("graphiql.min.css", "text/css; charset=utf-8"),
        ("react.production.min.js", "text/javascript; charset=utf-8"),
        ("react-dom.production.min.js", "text/javascript; charset=utf-8"),
    ];

    private readonly FrozenDictionary<string, GraphiQLAsset> _assets;

    private GraphiQLAssets(FrozenDictionary<string, GraphiQLAsset> assets)
    {
        _assets = assets;
    }

    public GraphiQLAsset Page => _assets["index.html"];

    public IEnumerable<string> Names => _assets.Keys;

    public bool TryGet(string name, out GraphiQLAsset asset) => _assets.TryGetValue(name, out asset!);

    /// <summary>Loads every file; a build that failed to embed one fails here, at start-up.</summary>
    public static GraphiQLAssets Load()
    {
        var assembly = typeof(GraphiQLAssets).Assembly;
        var assets = new Dictionary<string, GraphiQLAsset>(StringComparer.Ordinal);
        foreach (var (name, contentType) in Files)
        {
            using var stream = assembly.GetManifestResourceStream(ResourcePrefix + name)
                ?? throw new InvalidOperationException($"GraphiQL asset '{name}' is not embedded in {assembly.GetName().Name}; rebuild it with npm available.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            assets[name] = new GraphiQLAsset(name, contentType, buffer.ToArray());
        }

        return new GraphiQLAssets(assets.ToFrozenDictionary(StringComparer.Ordinal));
    }
}
