using System.Reflection;
using GraphRouter.Build;

namespace GraphRouter.Training.Tests.NativeFix;

/// <summary>Where the tests find TorchSharp's native library, and what the build host's libstdc++ offers.</summary>
internal static class TorchSharpNativeLibrary
{
    public const string FileName = "libLibTorchSharp.so";
    public const string NeededVersion = "GLIBCXX_3.4.32";
    public const string ReplacementVersion = "GLIBCXX_3.4.30";
    public const string MarkerSymbol = "_ZSt21ios_base_library_initv";

    /// <summary>The untouched file in the NuGet package folder (recorded by the test project at build time).</summary>
    public static string PackageCopy
    {
        get
        {
            var path = typeof(TorchSharpNativeLibrary).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "TorchSharpNativeSource").Value;
            Assert.False(string.IsNullOrEmpty(path), "The test project did not record where NuGet put libLibTorchSharp.so.");
            Assert.True(File.Exists(path), $"{path} does not exist.");
            return path!;
        }
    }

    /// <summary>The copy the build put beside the test assembly, which the tests' TorchSharp loads.</summary>
    public static string OutputCopy => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", FileName);

    /// <summary>True when the libstdc++ the loader finds defines GLIBCXX_3.4.32, so the build leaves the library alone.</summary>
    public static bool SystemDefinesNeededVersion
    {
        get
        {
            var libstdcxx = ElfVersionNeedPatcher.FindLoaderLibrary("libstdc++.so.6");
            Assert.NotNull(libstdcxx);
            return ElfVersionNeedPatcher.ReadVersionDefinitions(File.ReadAllBytes(libstdcxx)).Contains(NeededVersion);
        }
    }

    /// <summary>A private copy of the package's file in a fresh temporary folder.</summary>
    public static string CopyToTemporaryFolder()
    {
        var folder = Directory.CreateTempSubdirectory("graphrouter-elf-");
        var copy = Path.Combine(folder.FullName, FileName);
        File.Copy(PackageCopy, copy);
        return copy;
    }
}
