namespace GraphRouter.Onnx.Tests.Support;

/// <summary>Builds one-operator graphs over float inputs named x (and y) with fixed shapes, and runs them.</summary>
internal static class OneOp
{
    public static HostTensor Unary(Func<OnnxModelBuilder, OnnxValue, OnnxValue> op, float[] x, params long[] shape)
    {
        var builder = new OnnxModelBuilder("one_op");
        var input = builder.Input("x", OnnxElementType.Float, Dims(shape));
        builder.Output("out", op(builder, input));
        return OrtRunner.RunSingle(builder, ("x", HostTensor.Float(x, shape)));
    }

    public static HostTensor Binary(
        Func<OnnxModelBuilder, OnnxValue, OnnxValue, OnnxValue> op,
        float[] x,
        long[] xShape,
        float[] y,
        long[] yShape)
    {
        var builder = new OnnxModelBuilder("one_op");
        var a = builder.Input("x", OnnxElementType.Float, Dims(xShape));
        var b = builder.Input("y", OnnxElementType.Float, Dims(yShape));
        builder.Output("out", op(builder, a, b));
        return OrtRunner.RunSingle(builder, ("x", HostTensor.Float(x, xShape)), ("y", HostTensor.Float(y, yShape)));
    }

    public static OnnxDim[] Dims(long[] shape) => [.. shape.Select(OnnxDim.Fixed)];
}
