using static TorchSharp.torch;

namespace GraphRouter.Training.Graph;

/// <summary>
/// Tensors from host arrays, copied into memory libtorch allocated itself (64-byte aligned), never wrapping the
/// array. TorchSharp's <c>tensor(T[])</c> keeps its data in a pinned managed array, whose alignment depends on
/// where the GC happened to place it; MKL's sgemm picks its kernel path (and so its summation order) by the
/// operands' alignment. The same inputs then gave results that differed in the last bit from run to run
/// (measured: two runs of the default config differed from the third training step on), and training
/// drifted apart. With every host input aligned the same way, runs are bit-identical on one machine.
/// </summary>
public static class HostTensors
{
    /// <summary>A float32 tensor of <paramref name="shape"/> holding a copy of <paramref name="data"/> (row-major).</summary>
    public static Tensor Float(ReadOnlySpan<float> data, params long[] shape)
    {
        var result = empty(CheckShape(data.Length, shape), dtype: ScalarType.Float32);
        if (!data.IsEmpty)
        {
            // (TorchSharp's accessor refuses to copy an empty span; it is disposed here, not left to a finalizer)
            using var accessor = result.data<float>();
            accessor.CopyFrom(data);
        }
        return result;
    }

    /// <summary>An int64 tensor of <paramref name="shape"/> holding a copy of <paramref name="data"/> (row-major).</summary>
    public static Tensor Long(ReadOnlySpan<long> data, params long[] shape)
    {
        var result = empty(CheckShape(data.Length, shape), dtype: ScalarType.Int64);
        if (!data.IsEmpty)
        {
            using var accessor = result.data<long>();
            accessor.CopyFrom(data);
        }
        return result;
    }

    /// <summary>A one-dimensional int64 tensor of node indices.</summary>
    public static Tensor Indices(IReadOnlyList<int> indices)
    {
        var widened = new long[indices.Count];
        for (var i = 0; i < widened.Length; i++)
        {
            widened[i] = indices[i];
        }
        return Long(widened, widened.Length);
    }

    private static long[] CheckShape(int length, long[] shape)
    {
        var size = 1L;
        foreach (var dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"negative dimension in shape [{string.Join(", ", shape)}]", nameof(shape));
            }
            size *= dimension;
        }
        if (size != length)
        {
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] holds {size} values, the data {length}", nameof(shape));
        }
        return shape;
    }
}
