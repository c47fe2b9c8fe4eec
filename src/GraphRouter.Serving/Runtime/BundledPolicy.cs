using GraphRouter.Core.Datasets;

namespace GraphRouter.Serving.Runtime;

/// <summary>
/// The default policy the repository ships, trained by <c>graphrouter-train</c> from the bundled routerbench data
/// with <c>training/configs/default.json</c> (how to reproduce it: <c>data/policies/README.md</c>).
/// </summary>
public static class BundledPolicy
{
    /// <summary>The shipped version: the day it was exported and what it is.</summary>
    public const string Version = "2026.11.23-default.2";

    /// <summary>The folder holding the bundled policies (<c>data/policies</c>).</summary>
    public static string Root => Path.Combine(BundledData.Root(), "policies");

    /// <summary>The bundled default policy's folder.</summary>
    public static string Folder => Path.Combine(Root, Version);
}
