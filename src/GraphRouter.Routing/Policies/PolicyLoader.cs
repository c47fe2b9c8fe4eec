using System.Text.Json;

namespace GraphRouter.Routing.Policies;

/// <summary>
/// Verifies a policy folder before anything of it is used: the manifest parses, the version names the
/// folder, every listed file exists with the listed size and SHA-256, no path leaves the folder, and no
/// file is present that the manifest does not list (an unlisted graph or parameter file could be picked
/// up by mistake). Any failure is a <see cref="PolicyArtifactException"/> naming the file.
/// </summary>
public static class PolicyLoader
{
    public static PolicyManifest Verify(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw new PolicyArtifactException(folder, null, "no such policy folder");
        }
        var manifest = ReadManifest(folder);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        if (manifest.Version != name)
        {
            throw new PolicyArtifactException(folder, PolicyManifest.FileName, $"version '{manifest.Version}' does not match the folder name '{name}'");
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in manifest.Files)
        {
            if (!IsSafeRelativePath(entry.Path) || entry.Path == PolicyManifest.FileName)
            {
                throw new PolicyArtifactException(folder, entry.Path, "not a plain relative path inside the policy folder");
            }
            if (!listed.Add(entry.Path))
            {
                throw new PolicyArtifactException(folder, entry.Path, "listed twice in the manifest");
            }
            var full = Path.Combine(folder, entry.Path.Replace('/', Path.DirectorySeparatorChar));
            if (!File.Exists(full))
            {
                throw new PolicyArtifactException(folder, entry.Path, "missing");
            }
            var actualSize = new FileInfo(full).Length;
            if (actualSize != entry.SizeBytes)
            {
                throw new PolicyArtifactException(folder, entry.Path, $"size {actualSize} bytes, manifest says {entry.SizeBytes}");
            }
            var actual = PolicyFiles.Describe(folder, entry.Path);
            if (!string.Equals(actual.Sha256, entry.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new PolicyArtifactException(folder, entry.Path, $"SHA-256 {actual.Sha256}, manifest says {entry.Sha256}: the file is corrupt or was changed");
            }
        }

        var unlisted = PolicyFiles.List(folder).FirstOrDefault(f => !listed.Contains(f));
        if (unlisted is not null)
        {
            throw new PolicyArtifactException(folder, unlisted, "present in the folder but not listed in the manifest");
        }
        return manifest;
    }

    /// <summary>The full path of a verified manifest entry.</summary>
    public static string PathOf(string folder, PolicyFileEntry entry)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(entry);
        return Path.Combine(folder, entry.Path.Replace('/', Path.DirectorySeparatorChar));
    }

    private static PolicyManifest ReadManifest(string folder)
    {
        var path = Path.Combine(folder, PolicyManifest.FileName);
        if (!File.Exists(path))
        {
            throw new PolicyArtifactException(folder, PolicyManifest.FileName, "missing");
        }
        try
        {
            var manifest = JsonSerializer.Deserialize<PolicyManifest>(File.ReadAllText(path), PolicyManifestJson.Options);
            return manifest ?? throw new PolicyArtifactException(folder, PolicyManifest.FileName, "empty manifest");
        }
        catch (JsonException e)
        {
            throw new PolicyArtifactException(folder, PolicyManifest.FileName, $"not a valid manifest: {e.Message}");
        }
    }

    private static bool IsSafeRelativePath(string path) =>
        !string.IsNullOrEmpty(path)
        && !Path.IsPathRooted(path)
        && !path.Contains('\\', StringComparison.Ordinal)
        && path.Split('/').All(part => part.Length > 0 && part != "." && part != "..");
}
