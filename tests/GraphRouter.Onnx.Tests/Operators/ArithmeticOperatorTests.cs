using GraphRouter.Onnx.Tests.Support;

namespace GraphRouter.Onnx.Tests.Operators;

public sealed class ArithmeticOperatorTests
{
    private static readonly float[] X = TestData.Uniform(1, 6, 2);
    private static readonly float[] Row = [0.5f, -1.25f, 2f];

    [Fact]
    public void Add_broadcasts_a_row_over_a_matrix()
    {
        var result = OneOp.Binary((b, x, y) => b.Add(x, y), X, [2, 3], Row, [3]);
        Expect.Close(Elementwise((x, r) => x + r), result, [2, 3]);
    }

    [Fact]
    public void Sub_broadcasts_a_row_over_a_matrix()
    {
        var result = OneOp.Binary((b, x, y) => b.Sub(x, y), X, [2, 3], Row, [3]);
        Expect.Close(Elementwise((x, r) => x - r), result, [2, 3]);
    }

    [Fact]
    public void Mul_broadcasts_a_row_over_a_matrix()
    {
        var result = OneOp.Binary((b, x, y) => b.Mul(x, y), X, [2, 3], Row, [3]);
        Expect.Close(Elementwise((x, r) => x * r), result, [2, 3]);
    }

    [Fact]
    public void Div_broadcasts_a_row_over_a_matrix()
    {
        var result = OneOp.Binary((b, x, y) => b.Div(x, y), X, [2, 3], Row, [3]);
        Expect.Close(Elementwise((x, r) => x / r), result, [2, 3]);
    }

    [Fact]
    public void MatMul_multiplies_matrices()
    {
        var a = TestData.Uniform(2, 2 * 3);
        var w = TestData.Uniform(3, 3 * 4);
        var result = OneOp.Binary((b, x, y) => b.MatMul(x, y), a, [2, 3], w, [3, 4]);
        Expect.Close(ReferenceMath.MatMul(ReferenceMath.ToDouble(a), 2, 3, ReferenceMath.ToDouble(w), 4), result, [2, 4]);
    }

    [Fact]
    public void Gemm_applies_transposes_alpha_beta_and_bias()
    {
        // A is stored [k, m] = [3, 2] and B as [n, k] = [4, 3]; Y = 0.5 * A^T B^T + 2 * C.
        var a = TestData.Uniform(4, 3 * 2);
        var w = TestData.Uniform(5, 4 * 3);
        var c = TestData.Uniform(6, 4);
        var builder = new OnnxModelBuilder("gemm");
        var input = builder.Input("a", OnnxElementType.Float, [3, 2]);
        var weight = builder.Initializer("w", w, 4, 3);
        var bias = builder.Initializer("c", c, 4);
        builder.Output("y", builder.Gemm(input, weight, bias, alpha: 0.5f, beta: 2f, transA: true, transB: true));
        var result = OrtRunner.RunSingle(builder, ("a", HostTensor.Float(a, 3, 2)));

        var expected = new double[2 * 4];
        for (var i = 0; i < 2; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                var sum = 0.0;
                for (var p = 0; p < 3; p++)
                {
                    sum += a[(p * 2) + i] * (double)w[(j * 3) + p];
                }

                expected[(i * 4) + j] = (0.5 * sum) + (2.0 * c[j]);
            }
        }

        Expect.Close(expected, result, [2, 4]);
    }

    [Fact]
    public void Linear_uses_the_torch_weight_layout()
    {
        var x = TestData.Uniform(7, 5 * 3);
        var w = TestData.Uniform(8, 2 * 3);
        var bias = TestData.Uniform(9, 2);
        var builder = new OnnxModelBuilder("linear");
        var input = builder.Input("x", OnnxElementType.Float, ["batch", 3]);
        builder.Output("y", builder.Linear(input, builder.Initializer("w", w, 2, 3), builder.Initializer("b", bias, 2)), ["batch", 2]);
        var result = OrtRunner.RunSingle(builder, ("x", HostTensor.Float(x, 5, 3)));
        Expect.Close(ReferenceMath.Linear(ReferenceMath.ToDouble(x), 5, 3, w, bias, 2), result, [5, 2]);
    }

    [Fact]
    public void Equal_Greater_and_Less_compare_element_wise()
    {
        float[] x = [1f, 2f, 3f, -4f];
        float[] y = [1f, 3f, 2f, -4f];
        Assert.Equal([true, false, false, true], OneOp.Binary((b, p, q) => b.Equal(p, q), x, [4], y, [4]).Bools);
        Assert.Equal([false, false, true, false], OneOp.Binary((b, p, q) => b.Greater(p, q), x, [4], y, [4]).Bools);
        Assert.Equal([false, true, false, false], OneOp.Binary((b, p, q) => b.Less(p, q), x, [4], y, [4]).Bools);
    }

    [Fact]
    public void Where_selects_by_a_broadcast_condition()
    {
        var builder = new OnnxModelBuilder("where");
        var x = builder.Input("x", OnnxElementType.Float, [2, 3]);
        var fallback = builder.Initializer("fallback", Row, 3);
        var condition = builder.Greater(x, builder.FloatScalar(0f));
        builder.Output("y", builder.Where(condition, x, fallback));
        var result = OrtRunner.RunSingle(builder, ("x", HostTensor.Float(X, 2, 3)));
        Expect.Close(Elementwise((v, r) => v > 0 ? v : r), result, [2, 3]);
    }

    [Fact]
    public void Cast_converts_int64_to_float_and_truncates_float_to_int64()
    {
        var builder = new OnnxModelBuilder("cast");
        var x = builder.Input("x", OnnxElementType.Float, [4]);
        var n = builder.Input("n", OnnxElementType.Int64, [2]);
        builder.Output("as_int", builder.Cast(x, OnnxElementType.Int64));
        builder.Output("as_float", builder.Cast(n, OnnxElementType.Float));
        using var runner = new OrtRunner(builder.Build());
        var outputs = runner.Run(new Dictionary<string, HostTensor>
        {
            ["x"] = HostTensor.Float([1.7f, -1.7f, 0.2f, 300.9f], 4),
            ["n"] = HostTensor.Int64([7, -3_000_000_000], 2),
        });
        Assert.Equal([1L, -1L, 0L, 300L], outputs["as_int"].Int64s);
        Assert.Equal([7f, -3e9f], outputs["as_float"].Floats);
    }

    [Fact]
    public void Node_adds_an_operator_without_a_helper()
    {
        var result = OneOp.Binary((b, x, y) => b.Node("Max", [x, y], OnnxElementType.Float), X, [2, 3], Row, [3]);
        Expect.Close(Elementwise(Math.Max), result, [2, 3]);
    }

    private static double[] Elementwise(Func<double, double, double> f) =>
        [.. Enumerable.Range(0, 6).Select(i => f(X[i], Row[i % 3]))];
}
