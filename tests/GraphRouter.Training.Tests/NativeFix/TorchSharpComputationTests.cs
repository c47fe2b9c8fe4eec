using TorchSharp;
using static TorchSharp.torch;

namespace GraphRouter.Training.Tests.NativeFix;

/// <summary>
/// Loads TorchSharp's native library from the test output and computes with it. On a host whose libstdc++ lacks
/// GLIBCXX_3.4.32 these pass only if the build patched the copied library.
/// </summary>
public sealed class TorchSharpComputationTests
{
    [Fact]
    public void Matmul_of_known_matrices_gives_known_product()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 });
        var b = tensor(new float[] { 7, 8, 9, 10, 11, 12 }, new long[] { 3, 2 });

        var product = a.matmul(b);

        Assert.Equal(new long[] { 2, 2 }, product.shape);
        Assert.Equal(new float[] { 58, 64, 139, 154 }, product.data<float>().ToArray());
    }

    [Fact]
    public void Index_add_sums_rows_into_their_destinations()
    {
        using var scope = NewDisposeScope();
        var target = zeros(4, 2);
        var destination = tensor(new long[] { 0, 2, 0 });
        var rows = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, new long[] { 3, 2 });

        var summed = target.index_add(0, destination, rows, 1.0);

        Assert.Equal(new float[] { 6, 8, 0, 0, 3, 4, 0, 0 }, summed.data<float>().ToArray());
    }
}
