using GraphRouter.Build;

namespace GraphRouter.Training.Tests.NativeFix;

/// <summary>What the build left in this test project's own output, and that the NuGet cache was never written.</summary>
public sealed class BuildOutputTests
{
    [Fact]
    public void Output_copy_is_patched_exactly_when_the_system_libstdcxx_lacks_the_needed_version()
    {
        var needs = ElfVersionNeedPatcher.ReadVersionNeeds(File.ReadAllBytes(TorchSharpNativeLibrary.OutputCopy));

        Assert.Equal(TorchSharpNativeLibrary.SystemDefinesNeededVersion, needs.Contains(TorchSharpNativeLibrary.NeededVersion));
    }

    [Fact]
    public void Package_folder_copy_is_never_patched()
    {
        var needs = ElfVersionNeedPatcher.ReadVersionNeeds(File.ReadAllBytes(TorchSharpNativeLibrary.PackageCopy));

        Assert.Contains(TorchSharpNativeLibrary.NeededVersion, needs);
    }

    [Fact]
    public void Output_copy_differs_from_the_package_file_only_in_the_version_fields()
    {
        var package = File.ReadAllBytes(TorchSharpNativeLibrary.PackageCopy);
        var output = File.ReadAllBytes(TorchSharpNativeLibrary.OutputCopy);
        Patch(package);

        Assert.Equal(package, output);
    }

    private static void Patch(byte[] image) => ElfVersionNeedPatcher.Patch(
        image, TorchSharpNativeLibrary.NeededVersion, TorchSharpNativeLibrary.ReplacementVersion, TorchSharpNativeLibrary.MarkerSymbol);
}
