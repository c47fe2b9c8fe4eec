namespace GraphRouter.Onnx.Tests.Support;

/// <summary>Seeded inputs and weights: the same seed gives the same numbers on every run.</summary>
internal static class TestData
{
    /// <summary><paramref name="count"/> floats uniform in [-scale, scale).</summary>
    public static float[] Uniform(int seed, int count, double scale = 1.0)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(((random.NextDouble() * 2) - 1) * scale);
        }

        return values;
    }

    /// <summary>Weights for a layer with <paramref name="fanIn"/> inputs, scaled like a default initialization.</summary>
    public static float[] Weights(int seed, int fanIn, int count) => Uniform(seed, count, 1 / Math.Sqrt(fanIn));
}
