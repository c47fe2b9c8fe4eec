using GraphRouter.Onnx.Tests.Support;

namespace GraphRouter.Onnx.Tests.Operators;

public sealed class ReductionOperatorTests
{
    private static readonly float[] X = TestData.Uniform(21, 3 * 4, 10);

    [Fact]
    public void ReduceMax_over_the_last_axis_keeps_the_dimension()
    {
        var result = OneOp.Unary((b, x) => b.ReduceMax(x, [1]), X, 3, 4);
        Expect.Close(RowWise(row => row.Max()), result, [3, 1]);
    }

    [Fact]
    public void ReduceSum_over_the_first_axis_drops_the_dimension()
    {
        var result = OneOp.Unary((b, x) => b.ReduceSum(x, [0], keepDims: false), X, 3, 4);
        var expected = Enumerable.Range(0, 4).Select(c => Enumerable.Range(0, 3).Sum(r => (double)X[(r * 4) + c])).ToArray();
        Expect.Close(expected, result, [4]);
    }

    [Fact]
    public void ReduceMean_over_the_last_axis()
    {
        var result = OneOp.Unary((b, x) => b.ReduceMean(x, [-1], keepDims: false), X, 3, 4);
        Expect.Close(RowWise(row => row.Average()), result, [3]);
    }

    [Fact]
    public void Reductions_without_axes_are_rejected_because_they_would_mean_all_axes()
    {
        var builder = new OnnxModelBuilder("reduce");
        var x = builder.Input("x", OnnxElementType.Float, [3, 4]);
        Assert.Throws<OnnxGraphException>(() => builder.ReduceSum(x, []));
        Assert.Throws<OnnxGraphException>(() => builder.ReduceMax(x, []));
    }

    private static double[] RowWise(Func<IEnumerable<double>, double> f) =>
        [.. Enumerable.Range(0, 3).Select(r => f(X.Skip(r * 4).Take(4).Select(v => (double)v)))];
}
