namespace GraphRouter.Onnx.Tests.Support;

/// <summary>Numeric assertions: ONNX Runtime's float32 result against a double-precision reference.</summary>
internal static class Expect
{
    /// <summary>Default tolerance: 1e-5, absolute for values up to 1 and relative above.</summary>
    public const double Tolerance = 1e-5;

    public static void Close(IReadOnlyList<double> expected, HostTensor actual, long[] expectedShape, double tolerance = Tolerance)
    {
        Assert.Equal(expectedShape, actual.Shape);
        Close(expected, actual.Floats, tolerance);
    }

    public static void Close(IReadOnlyList<double> expected, IReadOnlyList<float> actual, double tolerance = Tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var limit = tolerance * Math.Max(1.0, Math.Abs(expected[i]));
            var error = Math.Abs(expected[i] - actual[i]);
            Assert.True(
                error <= limit && !double.IsNaN(actual[i]),
                $"Element {i}: expected {expected[i]:R}, got {actual[i]:R} (error {error:E2} > {limit:E2}).");
        }
    }
}
