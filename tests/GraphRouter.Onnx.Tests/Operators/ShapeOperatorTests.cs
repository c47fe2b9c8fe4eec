using GraphRouter.Onnx.Tests.Support;

namespace GraphRouter.Onnx.Tests.Operators;

public sealed class ShapeOperatorTests
{
    // 2 x 3 x 4, element (i, j, k) = 100 i + 10 j + k, so positions are readable in failures.
    private static readonly float[] Cube = [.. Enumerable.Range(0, 24).Select(n => (float)((100 * (n / 12)) + (10 * (n / 4 % 3)) + (n % 4)))];

    [Fact]
    public void Concat_joins_along_an_axis()
    {
        var result = OneOp.Binary((b, x, y) => b.Concat(1, x, y), [1, 2, 3, 4], [2, 2], [5, 6], [2, 1]);
        Expect.Close([1, 2, 5, 3, 4, 6], result, [2, 3]);
    }

    [Fact]
    public void Reshape_to_a_constant_shape_infers_minus_one()
    {
        var result = OneOp.Unary((b, x) => b.Reshape(x, 0, -1), Cube, 2, 3, 4);
        Expect.Close([.. Cube.Select(v => (double)v)], result, [2, 12]);
    }

    [Fact]
    public void Reshape_to_a_shape_computed_in_the_graph()
    {
        // Reshape a flat 24-vector to the shape of a second input.
        var builder = new OnnxModelBuilder("reshape");
        var flat = builder.Input("flat", OnnxElementType.Float, [24]);
        var like = builder.Input("like", OnnxElementType.Float, ["a", "b", "c"]);
        builder.Output("y", builder.Reshape(flat, builder.Shape(like)));
        var result = OrtRunner.RunSingle(
            builder, ("flat", HostTensor.Float(Cube, 24)), ("like", HostTensor.Float(new float[24], 4, 3, 2)));
        Expect.Close([.. Cube.Select(v => (double)v)], result, [4, 3, 2]);
    }

    [Fact]
    public void Transpose_permutes_axes()
    {
        var result = OneOp.Unary((b, x) => b.Transpose(x, 2, 0, 1), Cube, 2, 3, 4);
        var expected = new List<double>();
        for (var k = 0; k < 4; k++)
        {
            for (var i = 0; i < 2; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    expected.Add((100 * i) + (10 * j) + k);
                }
            }
        }

        Expect.Close(expected, result, [4, 2, 3]);
    }

    [Fact]
    public void Gather_picks_rows_with_repeats_and_negative_indices()
    {
        var builder = new OnnxModelBuilder("gather");
        var table = builder.Input("table", OnnxElementType.Float, [3, 4]);
        var ids = builder.Input("ids", OnnxElementType.Int64, ["n"]);
        builder.Output("rows", builder.Gather(table, ids));
        var result = OrtRunner.RunSingle(
            builder, ("table", HostTensor.Float(Cube[..12], 3, 4)), ("ids", HostTensor.Int64([2, 0, 2, -1], 4)));
        double[] expected = [20, 21, 22, 23, 0, 1, 2, 3, 20, 21, 22, 23, 20, 21, 22, 23];
        Expect.Close(expected, result, [4, 4]);
    }

    [Fact]
    public void Gather_along_the_last_axis_picks_columns()
    {
        var builder = new OnnxModelBuilder("gather_columns");
        var table = builder.Input("table", OnnxElementType.Float, [3, 4]);
        builder.Output("cols", builder.Gather(table, builder.Int64Vector(3, 1), axis: 1));
        var result = OrtRunner.RunSingle(builder, ("table", HostTensor.Float(Cube[..12], 3, 4)));
        Expect.Close([3, 1, 13, 11, 23, 21], result, [3, 2]);
    }

    [Fact]
    public void Unsqueeze_and_Squeeze_add_and_remove_unit_axes()
    {
        var unsqueezed = OneOp.Unary((b, x) => b.Unsqueeze(x, 0, 3), Cube[..12], 3, 4);
        Assert.Equal([1L, 3, 4, 1], unsqueezed.Shape);
        var squeezed = OneOp.Unary((b, x) => b.Squeeze(x, 0, 2), Cube[..12], 1, 12, 1);
        Expect.Close([.. Cube[..12].Select(v => (double)v)], squeezed, [12]);
    }

    [Fact]
    public void Slice_with_constant_bounds_and_a_step()
    {
        // x[:, 1:, ::2] of the cube.
        var result = OneOp.Unary(
            (b, x) => b.Slice(x, starts: [1, 0], ends: [long.MaxValue, long.MaxValue], axes: [1, 2], steps: [1, 2]), Cube, 2, 3, 4);
        Expect.Close([10, 12, 20, 22, 110, 112, 120, 122], result, [2, 2, 2]);
    }

    [Fact]
    public void Slice_with_bounds_computed_in_the_graph_takes_the_last_n_rows()
    {
        // The last "keep" rows of a variable-length history: a bounded history window.
        var builder = new OnnxModelBuilder("window");
        var history = builder.Input("history", OnnxElementType.Float, ["n", 4]);
        var keep = builder.Input("keep", OnnxElementType.Int64, [1]);
        var start = builder.Neg(keep);
        builder.Output("window", builder.Slice(history, start, builder.Int64Vector(long.MaxValue), builder.Int64Vector(0)));
        var result = OrtRunner.RunSingle(
            builder, ("history", HostTensor.Float(Cube[..12], 3, 4)), ("keep", HostTensor.Int64([2], 1)));
        Expect.Close([10, 11, 12, 13, 20, 21, 22, 23], result, [2, 4]);
    }

    [Fact]
    public void Shape_returns_all_or_part_of_the_dimensions()
    {
        var builder = new OnnxModelBuilder("shape");
        var x = builder.Input("x", OnnxElementType.Float, ["a", "b", "c"]);
        builder.Output("all", builder.Shape(x));
        builder.Output("tail", builder.Shape(x, start: 1));
        builder.Output("middle", builder.DimensionSize(x, -2));
        using var runner = new OrtRunner(builder.Build());
        var outputs = runner.Run(new Dictionary<string, HostTensor> { ["x"] = HostTensor.Float(Cube, 2, 3, 4) });
        Assert.Equal([2L, 3, 4], outputs["all"].Int64s);
        Assert.Equal([3L, 4], outputs["tail"].Int64s);
        Assert.Empty(outputs["middle"].Shape);
        Assert.Equal([3L], outputs["middle"].Int64s);
    }

    [Fact]
    public void Expand_broadcasts_a_vector_to_a_runtime_shape()
    {
        var builder = new OnnxModelBuilder("expand");
        var prior = builder.Initializer("prior", [1f, 2f, 3f], 3);
        var rows = builder.Input("rows", OnnxElementType.Int64, [1]);
        builder.Output("y", builder.Expand(prior, builder.Concat(0, rows, builder.Int64Vector(3))));
        var result = OrtRunner.RunSingle(builder, ("rows", HostTensor.Int64([2], 1)));
        Expect.Close([1, 2, 3, 1, 2, 3], result, [2, 3]);
    }

    [Fact]
    public void Range_counts_up_to_a_runtime_limit()
    {
        var builder = new OnnxModelBuilder("range");
        var limit = builder.Input("limit", OnnxElementType.Int64, []);
        builder.Output("y", builder.Range(builder.Int64Scalar(0), limit, builder.Int64Scalar(1)));
        var result = OrtRunner.RunSingle(builder, ("limit", HostTensor.Int64Scalar(5)));
        Assert.Equal([0L, 1, 2, 3, 4], result.Int64s);
    }

    [Fact]
    public void ScatterElements_with_add_accumulates_duplicate_indices()
    {
        // A segment sum by scatter: rows of updates added into the row their index names.
        var builder = new OnnxModelBuilder("scatter");
        var updates = builder.Input("updates", OnnxElementType.Float, ["n", 2]);
        var index = builder.Input("index", OnnxElementType.Int64, ["n", 2]);
        var zeros = builder.FloatTensor(new float[3 * 2], 3, 2);
        builder.Output("y", builder.ScatterElements(zeros, index, updates, axis: 0, OnnxScatterReduction.Add));
        var result = OrtRunner.RunSingle(
            builder,
            ("updates", HostTensor.Float([1, 2, 10, 20, 100, 200, 1000, 2000], 4, 2)),
            ("index", HostTensor.Int64([2, 2, 0, 0, 2, 2, 0, 0], 4, 2)));
        Expect.Close([1010, 2020, 0, 0, 101, 202], result, [3, 2]);
    }
}
