using System.Text.Json;

namespace GraphRouter.Routing.Policies;

/// <summary>Seals a policy folder: lists and hashes every file in it and writes <c>manifest.json</c> last, atomically.</summary>
public static class PolicyManifestWriter
{
    /// <summary>
    /// Writes <paramref name="manifest"/> into <paramref name="folder"/> with <see cref="PolicyManifest.Files"/>
    /// replaced by the folder's actual files, and returns what was written. The folder must be named by the version.
    /// </summary>
    public static PolicyManifest Write(string folder, PolicyManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(manifest);
        if (!Directory.Exists(folder))
        {
            throw new PolicyArtifactException(folder, null, "no such policy folder");
        }
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        if (name != manifest.Version)
        {
            throw new PolicyArtifactException(folder, null, $"the folder is named '{name}' but the policy version is '{manifest.Version}'");
        }
        var sealedManifest = manifest with { Files = PolicyFiles.List(folder).Select(f => PolicyFiles.Describe(folder, f)).ToList() };
        var target = Path.Combine(folder, PolicyManifest.FileName);
        var temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(folder))!, $".{name}.{PolicyManifest.FileName}.tmp");
        File.WriteAllText(temporary, JsonSerializer.Serialize(sealedManifest, PolicyManifestJson.Options));
        File.Move(temporary, target, overwrite: true);
        return sealedManifest;
    }
}
