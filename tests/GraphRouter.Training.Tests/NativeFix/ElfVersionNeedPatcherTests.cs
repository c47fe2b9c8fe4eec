using System.Diagnostics;
using System.Runtime.Versioning;
using GraphRouter.Build;

namespace GraphRouter.Training.Tests.NativeFix;

/// <summary>The build's ELF patcher, run on copies of the real libLibTorchSharp.so from the NuGet package folder.</summary>
public sealed class ElfVersionNeedPatcherTests
{
    [Fact]
    public void Package_file_needs_the_new_version_only_for_the_marker_symbol()
    {
        var image = File.ReadAllBytes(TorchSharpNativeLibrary.PackageCopy);

        var needs = ElfVersionNeedPatcher.ReadVersionNeeds(image);

        Assert.Single(needs, n => n == TorchSharpNativeLibrary.NeededVersion);
        Assert.Single(needs, n => n == TorchSharpNativeLibrary.ReplacementVersion);
        Assert.NotEqual(1, ElfVersionNeedPatcher.ReadSymbolVersionIndex(image, TorchSharpNativeLibrary.MarkerSymbol));
    }

    [Fact]
    public void Patching_retargets_the_need_and_clears_the_marker_version()
    {
        var copy = TorchSharpNativeLibrary.CopyToTemporaryFolder();
        var before = File.ReadAllBytes(copy);

        Assert.True(PatchFile(copy));

        var after = File.ReadAllBytes(copy);
        var needs = ElfVersionNeedPatcher.ReadVersionNeeds(after);
        Assert.DoesNotContain(TorchSharpNativeLibrary.NeededVersion, needs);
        Assert.Equal(ElfVersionNeedPatcher.ReadVersionNeeds(before).Count, needs.Count);
        Assert.Equal(2, needs.Count(n => n == TorchSharpNativeLibrary.ReplacementVersion));
        Assert.Equal(1, ElfVersionNeedPatcher.ReadSymbolVersionIndex(after, TorchSharpNativeLibrary.MarkerSymbol));
        Assert.Equal(before.Length, after.Length);
        var changedBytes = before.Zip(after).Count(pair => pair.First != pair.Second);
        Assert.InRange(changedBytes, 1, 10);
    }

    [Fact]
    public void Patching_twice_changes_nothing_the_second_time()
    {
        var copy = TorchSharpNativeLibrary.CopyToTemporaryFolder();
        Assert.True(PatchFile(copy));
        var once = File.ReadAllBytes(copy);
        var stampOnce = File.GetLastWriteTimeUtc(copy);

        Assert.False(PatchFile(copy));

        Assert.Equal(once, File.ReadAllBytes(copy));
        Assert.Equal(stampOnce, File.GetLastWriteTimeUtc(copy));
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void Patched_file_keeps_permissions_and_last_write_time()
    {
        var copy = TorchSharpNativeLibrary.CopyToTemporaryFolder();
        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead);
        var stamp = new DateTime(2026, 5, 7, 12, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(copy, stamp);

        Assert.True(PatchFile(copy));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead, File.GetUnixFileMode(copy));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(copy));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(copy)!, "*.tmp"));
    }

    [Fact]
    public void Patching_through_a_symbolic_link_leaves_the_link_target_untouched()
    {
        var original = TorchSharpNativeLibrary.CopyToTemporaryFolder();
        var link = Path.Combine(Path.GetDirectoryName(original)!, "linked.so");
        File.CreateSymbolicLink(link, original);

        Assert.True(PatchFile(link));

        Assert.Contains(TorchSharpNativeLibrary.NeededVersion, ElfVersionNeedPatcher.ReadVersionNeeds(File.ReadAllBytes(original)));
        Assert.Null(new FileInfo(link).LinkTarget);
        Assert.DoesNotContain(TorchSharpNativeLibrary.NeededVersion, ElfVersionNeedPatcher.ReadVersionNeeds(File.ReadAllBytes(link)));
    }

    [Fact]
    public void Patching_through_a_hard_link_leaves_the_other_name_untouched()
    {
        var original = TorchSharpNativeLibrary.CopyToTemporaryFolder();
        var link = Path.Combine(Path.GetDirectoryName(original)!, "hardlinked.so");
        using (var ln = Process.Start("ln", [original, link]))
        {
            ln.WaitForExit();
            Assert.Equal(0, ln.ExitCode);
        }

        Assert.True(PatchFile(link));

        Assert.Contains(TorchSharpNativeLibrary.NeededVersion, ElfVersionNeedPatcher.ReadVersionNeeds(File.ReadAllBytes(original)));
        Assert.DoesNotContain(TorchSharpNativeLibrary.NeededVersion, ElfVersionNeedPatcher.ReadVersionNeeds(File.ReadAllBytes(link)));
    }

    [Fact]
    public void A_replacement_the_library_does_not_already_need_is_refused_without_changes()
    {
        var image = File.ReadAllBytes(TorchSharpNativeLibrary.PackageCopy);
        var untouched = (byte[])image.Clone();

        var error = Assert.Throws<InvalidDataException>(() =>
            ElfVersionNeedPatcher.Patch(image, TorchSharpNativeLibrary.NeededVersion, "GLIBCXX_3.4.31", TorchSharpNativeLibrary.MarkerSymbol));

        Assert.Contains("GLIBCXX_3.4.31", error.Message);
        Assert.Equal(untouched, image);
    }

    [Fact]
    public void A_version_bound_to_a_symbol_other_than_the_marker_is_refused_without_changes()
    {
        var image = File.ReadAllBytes(TorchSharpNativeLibrary.PackageCopy);
        var untouched = (byte[])image.Clone();

        var error = Assert.Throws<InvalidDataException>(() =>
            ElfVersionNeedPatcher.Patch(image, TorchSharpNativeLibrary.NeededVersion, TorchSharpNativeLibrary.ReplacementVersion, "_ZSt4cout"));

        Assert.Contains(TorchSharpNativeLibrary.MarkerSymbol, error.Message);
        Assert.Equal(untouched, image);
    }

    [Fact]
    public void Files_that_are_not_whole_elf64_images_are_refused()
    {
        var library = File.ReadAllBytes(TorchSharpNativeLibrary.PackageCopy);
        var truncated = library[..65536];
        var text = "#!/bin/sh\necho not a library, just long enough to have a header\n"u8.ToArray();

        Assert.Throws<InvalidDataException>(() => Patch(truncated));
        Assert.Throws<InvalidDataException>(() => Patch(text));
    }

    [Fact]
    public void Elf_hash_matches_the_hashes_stored_for_well_known_versions()
    {
        Assert.Equal(0x09691a75u, ElfVersionNeedPatcher.ElfHash("GLIBC_2.2.5"));
        Assert.Equal(0x08922974u, ElfVersionNeedPatcher.ElfHash("GLIBCXX_3.4"));
    }

    [Fact]
    public void Loader_libstdcxx_is_found_and_defines_the_replacement_version()
    {
        var libstdcxx = ElfVersionNeedPatcher.FindLoaderLibrary("libstdc++.so.6");

        Assert.NotNull(libstdcxx);
        var definitions = ElfVersionNeedPatcher.ReadVersionDefinitions(File.ReadAllBytes(libstdcxx));
        Assert.Contains("GLIBCXX_3.4", definitions);
        Assert.Contains(TorchSharpNativeLibrary.ReplacementVersion, definitions);
    }

    private static bool PatchFile(string path) => ElfVersionNeedPatcher.PatchFile(
        path, TorchSharpNativeLibrary.NeededVersion, TorchSharpNativeLibrary.ReplacementVersion, TorchSharpNativeLibrary.MarkerSymbol);

    private static bool Patch(byte[] image) => ElfVersionNeedPatcher.Patch(
        image, TorchSharpNativeLibrary.NeededVersion, TorchSharpNativeLibrary.ReplacementVersion, TorchSharpNativeLibrary.MarkerSymbol);
}
