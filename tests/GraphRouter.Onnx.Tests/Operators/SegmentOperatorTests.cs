using GraphRouter.Onnx.Tests.Support;

namespace GraphRouter.Onnx.Tests.Operators;

public sealed class SegmentOperatorTests
{
    // Items of 4 segments, interleaved, no padding; segment 2 has no item.
    private static readonly long[] Ids = [3, 0, 3, 1, 0, 3, 0];

    [Fact]
    public void SegmentSum_and_SegmentCounts_follow_the_one_hot_destination_matrix()
    {
        var values = TestData.Uniform(31, Ids.Length * 3);
        var outputs = Run(
            (b, s, v) =>
            {
                b.Output("sum", b.SegmentSum(v, s));
                b.Output("counts", b.SegmentCounts(s));
                b.Output("one_hot", s.OneHot);
            },
            values,
            3);

        var expectedSum = new double[4 * 3];
        for (var n = 0; n < Ids.Length; n++)
        {
            for (var d = 0; d < 3; d++)
            {
                expectedSum[(Ids[n] * 3) + d] += values[(n * 3) + d];
            }
        }

        Expect.Close(expectedSum, outputs["sum"], [4, 3]);
        Expect.Close([3, 1, 0, 3], outputs["counts"], [4]);
        var oneHot = new double[4 * Ids.Length];
        for (var n = 0; n < Ids.Length; n++)
        {
            oneHot[(Ids[n] * Ids.Length) + n] = 1;
        }

        Expect.Close(oneHot, outputs["one_hot"], [4, Ids.Length]);
    }

    [Fact]
    public void SegmentSoftmax_normalizes_per_segment_and_head_even_far_below_the_global_maximum()
    {
        // Two heads. Segment 1 scores around -1000: a global stabilizer would underflow it to 0/0.
        float[] scores = [2f, -1f, 0.5f, 3f, -4f, 1f, -1000f, -1001.5f, 1.5f, 0.25f, -2f, 7f, 0f, -0.5f];
        var outputs = Run((b, s, v) => b.Output("alpha", b.SegmentSoftmax(v, s)), scores, 2);
        Expect.Close(SegmentSoftmaxReference(scores, Ids, 2), outputs["alpha"], [Ids.Length, 2]);

        // Each non-empty segment's weights sum to one per head.
        var alpha = outputs["alpha"].Floats;
        foreach (var segment in new long[] { 0, 1, 3 })
        {
            for (var h = 0; h < 2; h++)
            {
                var total = Enumerable.Range(0, Ids.Length).Where(n => Ids[n] == segment).Sum(n => (double)alpha[(n * 2) + h]);
                Assert.Equal(1.0, total, 5);
            }
        }
    }

    [Fact]
    public void SegmentSoftmax_of_no_items_is_empty_and_FallbackWhenEmpty_selects_the_prior()
    {
        float[] prior = [0.25f, -0.5f];
        var builder = new OnnxModelBuilder("empty");
        var values = builder.Input("values", OnnxElementType.Float, ["n", 2]);
        var ids = builder.Input("ids", OnnxElementType.Int64, ["n"]);
        var count = builder.Input("count", OnnxElementType.Int64, []);
        var segments = builder.Segments(ids, count);
        var alpha = builder.SegmentSoftmax(values, segments);
        var pooled = builder.SegmentSum(builder.Mul(alpha, values), segments);
        builder.Output("alpha", alpha);
        builder.Output("pooled", builder.FallbackWhenEmpty(pooled, builder.SegmentCounts(segments), builder.Initializer("prior", prior, 2)));
        using var runner = new OrtRunner(builder.Build());
        var outputs = runner.Run(new Dictionary<string, HostTensor>
        {
            ["values"] = HostTensor.Float([], 0, 2),
            ["ids"] = HostTensor.Int64([], 0),
            ["count"] = HostTensor.Int64Scalar(2),
        });

        Assert.Equal([0L, 2], outputs["alpha"].Shape);
        Expect.Close([0.25, -0.5, 0.25, -0.5], outputs["pooled"], [2, 2]);
    }

    [Fact]
    public void FallbackWhenEmpty_keeps_rows_of_segments_with_items()
    {
        var builder = new OnnxModelBuilder("fallback");
        var rows = builder.Input("rows", OnnxElementType.Float, ["s", 2]);
        var counts = builder.Input("counts", OnnxElementType.Float, ["s"]);
        builder.Output("y", builder.FallbackWhenEmpty(rows, counts, builder.Initializer("prior", [9f, 8f], 1, 2)));
        var result = OrtRunner.RunSingle(
            builder, ("rows", HostTensor.Float([1, 2, 3, 4, 5, 6], 3, 2)), ("counts", HostTensor.Float([2, 0, 1], 3)));
        Expect.Close([1, 2, 9, 8, 5, 6], result, [3, 2]);
    }

    private static IReadOnlyDictionary<string, HostTensor> Run(
        Action<OnnxModelBuilder, OnnxSegments, OnnxValue> graph, float[] values, int width)
    {
        var builder = new OnnxModelBuilder("segments");
        var v = builder.Input("values", OnnxElementType.Float, ["n", width]);
        var ids = builder.Input("ids", OnnxElementType.Int64, ["n"]);
        var count = builder.Input("count", OnnxElementType.Int64, []);
        graph(builder, builder.Segments(ids, count), v);
        using var runner = new OrtRunner(builder.Build());
        return runner.Run(new Dictionary<string, HostTensor>
        {
            ["values"] = HostTensor.Float(values, Ids.Length, width),
            ["ids"] = HostTensor.Int64(Ids, Ids.Length),
            ["count"] = HostTensor.Int64Scalar(4),
        });
    }

    /// <summary>The naive loop: for each item, exp(score - max of its segment) over the segment's sum.</summary>
    internal static double[] SegmentSoftmaxReference(float[] scores, long[] ids, int heads)
    {
        var result = new double[scores.Length];
        for (var n = 0; n < ids.Length; n++)
        {
            for (var h = 0; h < heads; h++)
            {
                var members = Enumerable.Range(0, ids.Length).Where(m => ids[m] == ids[n]).ToArray();
                var max = members.Max(m => (double)scores[(m * heads) + h]);
                var sum = members.Sum(m => Math.Exp(scores[(m * heads) + h] - max));
                result[(n * heads) + h] = Math.Exp(scores[(n * heads) + h] - max) / sum;
            }
        }

        return result;
    }
}
