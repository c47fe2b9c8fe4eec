// The MSBuild task of build/TorchSharpNativeFix.targets, compiled by that file (with ElfVersionNeedPatcher.cs)
// into a small task assembly under the project's obj folder.
#nullable enable
using System;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace GraphRouter.Build;

/// <summary>
/// Patches copies of TorchSharp's libLibTorchSharp.so so that a libstdc++ without GLIBCXX_3.4.32 loads them,
/// when, and only when, the libstdc++ the loader finds on this host lacks that version.
/// </summary>
public sealed class PatchTorchSharpNative : Microsoft.Build.Utilities.Task
{
    private const string NeededVersion = "GLIBCXX_3.4.32";
    private const string ReplacementVersion = "GLIBCXX_3.4.30";
    private const string MarkerSymbol = "_ZSt21ios_base_library_initv";

    // The host's libstdc++ is looked at once per build process.
    private static readonly Lazy<(string? Path, bool DefinesNeededVersion)> SystemLibstdcxx = new(() =>
    {
        var path = ElfVersionNeedPatcher.FindLoaderLibrary("libstdc++.so.6");
        var defines = path is not null
            && ElfVersionNeedPatcher.ReadVersionDefinitions(File.ReadAllBytes(path)).Contains(NeededVersion);
        return (path, defines);
    });

    /// <summary>The copies to patch (build or publish output, never a package cache).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = [];

    public override bool Execute()
    {
        var libstdcxx = SystemLibstdcxx.Value;
        if (libstdcxx.DefinesNeededVersion)
        {
            Log.LogMessage(MessageImportance.Low, "TorchSharp native fix: {0} defines {1}; nothing to do.", libstdcxx.Path, NeededVersion);
            return true;
        }

        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            if (!File.Exists(path))
            {
                Log.LogMessage(MessageImportance.Low, "TorchSharp native fix: {0} was not copied; skipped.", path);
                continue;
            }

            try
            {
                if (ElfVersionNeedPatcher.PatchFile(path, NeededVersion, ReplacementVersion, MarkerSymbol))
                {
                    Log.LogMessage(
                        MessageImportance.High,
                        "TorchSharp native fix: patched {0}: the system libstdc++ ({1}) lacks {2}, which this library needs only for the marker symbol {3}; the need now names {4}.",
                        path,
                        libstdcxx.Path ?? "not found",
                        NeededVersion,
                        MarkerSymbol,
                        ReplacementVersion);
                }
                else
                {
                    Log.LogMessage(MessageImportance.Low, "TorchSharp native fix: {0} needs no {1}; left alone.", path, NeededVersion);
                }
            }
            catch (InvalidDataException e)
            {
                Log.LogError("TorchSharp native fix: {0} has an unexpected layout and was left unpatched: {1}", path, e.Message);
            }
        }

        return !Log.HasLoggedErrors;
    }
}
