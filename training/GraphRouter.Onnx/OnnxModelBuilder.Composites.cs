namespace GraphRouter.Onnx;

/// <summary>Small subgraphs built from the operator helpers: GELU, Linear, and segment (set) operations.</summary>
public sealed partial class OnnxModelBuilder
{
    /// <summary>
    /// Exact GELU, 0.5 * x * (1 + erf(x / sqrt(2))), as TorchSharp computes it; the Gelu op needs opset 20.
    /// Written in the node order PyTorch's exporter uses (Div, Erf, Add, Mul by x, Mul by 0.5), which ONNX
    /// Runtime's optimizer recognizes and fuses into its one-kernel Gelu; other orders stay five kernels.
    /// </summary>
    public OnnxValue Gelu(OnnxValue x)
    {
        RequireType("Gelu", x, OnnxElementType.Float);
        var erf = Erf(Div(x, FloatScalar(MathF.Sqrt(2f))));
        return Mul(Mul(x, Add(erf, FloatScalar(1f))), FloatScalar(0.5f));
    }

    /// <summary>
    /// A TorchSharp Linear on a 2-D input: x [M, in], weight [out, in] (the module's own layout), bias [out].
    /// </summary>
    public OnnxValue Linear(OnnxValue x, OnnxValue weight, OnnxValue? bias = null) =>
        Gemm(x, weight, bias, transB: true);

    /// <summary>The size of one dimension of <paramref name="x"/> as a rank-0 int64 (negative axes count from the end).</summary>
    public OnnxValue DimensionSize(OnnxValue x, long axis) => Gather(Shape(x), Int64Scalar(axis));

    /// <summary>
    /// Groups N items into <paramref name="count"/> segments by <paramref name="ids"/> ([N] int64, each in
    /// [0, count)): builds the [S, N] one-hot destination matrix from Range and Equal. Segment sums are
    /// then a MatMul, which ONNX Runtime runs as one GEMM; an id outside [0, count) belongs to no segment.
    /// </summary>
    public OnnxSegments Segments(OnnxValue ids, OnnxValue count)
    {
        RequireType("Segments", ids, OnnxElementType.Int64);
        RequireType("Segments", count, OnnxElementType.Int64);
        var segmentIndex = Range(Int64Scalar(0), count, Int64Scalar(1));
        var mask = Equal(Unsqueeze(segmentIndex, 1), Unsqueeze(ids, 0));
        return new OnnxSegments { Ids = ids, Count = count, Mask = mask, OneHot = Cast(mask, OnnxElementType.Float) };
    }

    /// <summary>Per-segment sums of item rows: values [N, D] gives [S, D]; an empty segment sums to zeros.</summary>
    public OnnxValue SegmentSum(OnnxValue values, OnnxSegments segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        return MatMul(segments.OneHot, values);
    }

    /// <summary>The number of items in each segment, as [S] float.</summary>
    public OnnxValue SegmentCounts(OnnxSegments segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        return ReduceSum(segments.OneHot, [1], keepDims: false);
    }

    /// <summary>
    /// Softmax of scores [N, K] (K heads) over the items of each segment, per head. Each segment is
    /// stabilized by its own maximum (not a global one), so a segment far below the others does not
    /// underflow. Works for N = 0 (an empty result) and for segments with no items.
    /// </summary>
    public OnnxValue SegmentSoftmax(OnnxValue scores, OnnxSegments segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        RequireType("SegmentSoftmax", scores, OnnxElementType.Float);
        var masked = Where(Unsqueeze(segments.Mask, 2), Unsqueeze(scores, 0), FloatScalar(float.NegativeInfinity));
        var segmentMax = ReduceMax(masked, [1], keepDims: false);
        var exp = Exp(Sub(scores, Gather(segmentMax, segments.Ids)));
        var denominator = MatMul(segments.OneHot, exp);
        return Div(exp, Gather(denominator, segments.Ids));
    }

    /// <summary>
    /// Rows of <paramref name="values"/> [S, D] where the segment has items, else <paramref name="fallback"/>
    /// ([D] or [1, D], e.g. a learned prior for a user with no history). <paramref name="counts"/> is [S] float.
    /// </summary>
    public OnnxValue FallbackWhenEmpty(OnnxValue values, OnnxValue counts, OnnxValue fallback)
    {
        RequireType("FallbackWhenEmpty", counts, OnnxElementType.Float);
        var hasItems = Unsqueeze(Greater(counts, FloatScalar(0f)), 1);
        return Where(hasItems, values, fallback);
    }
}
