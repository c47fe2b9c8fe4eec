using GraphRouter.Onnx.Tests.Support;
using Microsoft.ML.OnnxRuntime;

namespace GraphRouter.Onnx.Tests.Operators;

public sealed class ActivationOperatorTests
{
    // Spans the interesting ranges: negative, near zero, the GELU/erf bend and the saturated tails.
    private static readonly float[] X = [-6f, -3.1f, -1f, -0.3f, 0f, 0.25f, 0.9f, 2.5f, 5.5f, .. TestData.Uniform(11, 11, 4)];

    [Fact]
    public void Relu_clamps_negatives_to_zero() =>
        Expect.Close(Map(v => Math.Max(0, v)), OneOp.Unary((b, x) => b.Relu(x), X, X.Length), [X.Length]);

    [Fact]
    public void Sigmoid_matches_the_logistic_function() =>
        Expect.Close(Map(ReferenceMath.Sigmoid), OneOp.Unary((b, x) => b.Sigmoid(x), X, X.Length), [X.Length]);

    [Fact]
    public void Tanh_matches_Math_Tanh() =>
        Expect.Close(Map(Math.Tanh), OneOp.Unary((b, x) => b.Tanh(x), X, X.Length), [X.Length]);

    [Fact]
    public void Exp_matches_Math_Exp() =>
        Expect.Close(Map(Math.Exp), OneOp.Unary((b, x) => b.Exp(x), X, X.Length), [X.Length]);

    [Fact]
    public void Erf_matches_the_series_reference() =>
        Expect.Close(Map(ReferenceMath.Erf), OneOp.Unary((b, x) => b.Erf(x), X, X.Length), [X.Length]);

    [Fact]
    public void Sqrt_matches_Math_Sqrt()
    {
        var positive = X.Select(Math.Abs).ToArray();
        var expected = positive.Select(v => Math.Sqrt(v)).ToArray();
        Expect.Close(expected, OneOp.Unary((b, x) => b.Sqrt(x), positive, positive.Length), [positive.Length]);
    }

    [Fact]
    public void Neg_flips_the_sign() =>
        Expect.Close(Map(v => -v), OneOp.Unary((b, x) => b.Neg(x), X, X.Length), [X.Length]);

    [Fact]
    public void Gelu_is_the_exact_erf_form() =>
        Expect.Close(Map(ReferenceMath.Gelu), OneOp.Unary((b, x) => b.Gelu(x), X, X.Length), [X.Length]);

    [Fact]
    public void Gelu_is_fused_by_the_ONNX_Runtime_optimizer_into_one_kernel()
    {
        // The node order matters to ORT's pattern matcher: the optimized graph has no Erf left.
        var builder = new OnnxModelBuilder("gelu");
        builder.Output("y", builder.Gelu(builder.Input("x", OnnxElementType.Float, ["n", 8])));
        var optimized = Path.Combine(Path.GetTempPath(), $"gelu-{Environment.ProcessId}-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var options = new SessionOptions { OptimizedModelFilePath = optimized, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL })
            using (new InferenceSession(builder.Build(), options))
            {
            }

            var text = System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(optimized));
            Assert.DoesNotContain("Erf", text, StringComparison.Ordinal);
            Assert.Contains("Gelu", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(optimized);
        }
    }

    [Fact]
    public void Softmax_normalizes_along_the_last_axis()
    {
        var x = TestData.Uniform(12, 4 * 5, 3);
        var result = OneOp.Unary((b, v) => b.Softmax(v, axis: -1), x, 4, 5);
        Expect.Close(ReferenceMath.SoftmaxRows(ReferenceMath.ToDouble(x), 4, 5), result, [4, 5]);
    }

    [Fact]
    public void Softmax_normalizes_along_the_first_axis_only()
    {
        var x = TestData.Uniform(13, 4 * 5, 3);
        var result = OneOp.Unary((b, v) => b.Softmax(v, axis: 0), x, 4, 5);

        // Softmax down each column: transpose, softmax the rows, transpose back.
        var transposed = new double[5 * 4];
        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < 5; c++)
            {
                transposed[(c * 4) + r] = x[(r * 5) + c];
            }
        }

        var softmax = ReferenceMath.SoftmaxRows(transposed, 5, 4);
        var expected = new double[4 * 5];
        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < 5; c++)
            {
                expected[(r * 5) + c] = softmax[(c * 4) + r];
            }
        }

        Expect.Close(expected, result, [4, 5]);
    }

    [Fact]
    public void LayerNormalization_normalizes_each_row_then_scales_and_shifts()
    {
        var x = TestData.Uniform(14, 3 * 8, 5);
        var scale = TestData.Uniform(15, 8);
        var bias = TestData.Uniform(16, 8);
        var builder = new OnnxModelBuilder("layer_norm");
        var input = builder.Input("x", OnnxElementType.Float, ["batch", 8]);
        var y = builder.LayerNormalization(input, builder.Initializer("scale", scale, 8), builder.Initializer("bias", bias, 8));
        builder.Output("y", y, ["batch", 8]);
        var result = OrtRunner.RunSingle(builder, ("x", HostTensor.Float(x, 3, 8)));
        Expect.Close(ReferenceMath.LayerNormRows(ReferenceMath.ToDouble(x), 3, 8, scale, bias, 1e-5), result, [3, 8]);
    }

    private static double[] Map(Func<double, double> f) => [.. X.Select(v => f(v))];
}
