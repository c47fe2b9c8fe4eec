using System.Security.Cryptography;

namespace GraphRouter.Routing.Policies;

/// <summary>Listing and hashing the files of a policy folder.</summary>
internal static class PolicyFiles
{
    /// <summary>Every file under <paramref name="folder"/> except the manifest, as '/'-separated relative paths in ordinal order.</summary>
    public static List<string> List(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => f != PolicyManifest.FileName)
            .Order(StringComparer.Ordinal)
            .ToList();

    public static PolicyFileEntry Describe(string folder, string relativePath)
    {
        var full = Path.Combine(folder, relativePath.Replace('/', Path.DirectorySeparatorChar));
        using var stream = File.OpenRead(full);
        var hash = SHA256.HashData(stream);
        return new PolicyFileEntry
        {
            Path = relativePath,
            Sha256 = Convert.ToHexStringLower(hash),
            SizeBytes = stream.Length,
        };
    }
}
