using System.Globalization;

namespace GraphRouter.Storage.Schema;

/// <summary>The migrations embedded in this assembly for each backend, in version order.</summary>
public static class MigrationCatalog
{
    public static IReadOnlyList<Migration> For(StoreKind kind)
    {
        var prefix = $"graph-schema/migrations/{kind.ToString().ToLowerInvariant()}/";
        var assembly = typeof(MigrationCatalog).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }
            var fileName = resource[prefix.Length..^".sql".Length];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(fileName[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"migration '{resource}' is not named NNNN_name.sql");
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(version, fileName[(underscore + 1)..], reader.ReadToEnd()));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"two {kind} migrations have version {migrations[i].Version}");
            }
        }
        if (migrations.Count == 0)
        {
            throw new InvalidOperationException($"no {kind} migrations are embedded under {prefix}");
        }
        return migrations;
    }
}
