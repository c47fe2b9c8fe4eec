using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GraphRouter.Onnx.Tests.Support;

/// <summary>A tensor on the C# side: row-major data and a shape, fed to or read back from ONNX Runtime.</summary>
internal sealed record HostTensor
{
    public required TensorElementType ElementType { get; init; }

    public required long[] Shape { get; init; }

    public float[] Floats { get; init; } = [];

    public long[] Int64s { get; init; } = [];

    public bool[] Bools { get; init; } = [];

    public static HostTensor Float(float[] data, params long[] shape) =>
        new() { ElementType = TensorElementType.Float, Shape = shape, Floats = Checked(data, shape) };

    public static HostTensor Int64(long[] data, params long[] shape) =>
        new() { ElementType = TensorElementType.Int64, Shape = shape, Int64s = Checked(data, shape) };

    public static HostTensor Int64Scalar(long value) => Int64([value]);

    public OrtValue ToOrtValue() => ElementType switch
    {
        TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(Floats, Shape),
        TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(Int64s, Shape),
        TensorElementType.Bool => OrtValue.CreateTensorValueFromMemory(Bools, Shape),
        _ => throw new NotSupportedException($"Element type {ElementType} is not used by these tests."),
    };

    public static HostTensor FromOrtValue(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        return info.ElementDataType switch
        {
            TensorElementType.Float => new HostTensor
            {
                ElementType = TensorElementType.Float, Shape = shape, Floats = value.GetTensorDataAsSpan<float>().ToArray(),
            },
            TensorElementType.Int64 => new HostTensor
            {
                ElementType = TensorElementType.Int64, Shape = shape, Int64s = value.GetTensorDataAsSpan<long>().ToArray(),
            },
            TensorElementType.Bool => new HostTensor
            {
                ElementType = TensorElementType.Bool, Shape = shape, Bools = value.GetTensorDataAsSpan<bool>().ToArray(),
            },
            _ => throw new NotSupportedException($"Element type {info.ElementDataType} is not used by these tests."),
        };
    }

    private static T[] Checked<T>(T[] data, long[] shape)
    {
        var count = shape.Aggregate(1L, (a, d) => a * d);
        if (count != data.Length)
        {
            throw new ArgumentException($"{data.Length} elements do not fill shape [{string.Join(", ", shape)}].");
        }

        return data;
    }
}
