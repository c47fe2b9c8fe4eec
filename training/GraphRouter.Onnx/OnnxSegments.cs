namespace GraphRouter.Onnx;

/// <summary>
/// A padding-free grouping of N items into S segments (sets), as graph values: the item-to-segment ids,
/// the segment count and the [S, N] one-hot destination matrix, as Bool (for masks) and Float (for MatMul).
/// Made by <see cref="OnnxModelBuilder.Segments"/>.
/// </summary>
public sealed record OnnxSegments
{
    /// <summary>[N] int64: the segment of each item, in [0, S).</summary>
    public required OnnxValue Ids { get; init; }

    /// <summary>Rank-0 int64: S.</summary>
    public required OnnxValue Count { get; init; }

    /// <summary>[S, N] Bool: Mask[s, n] = (Ids[n] == s).</summary>
    public required OnnxValue Mask { get; init; }

    /// <summary>[S, N] Float: the mask as 0/1, so that OneHot x values sums each segment's items.</summary>
    public required OnnxValue OneHot { get; init; }
}
