namespace GraphRouter.Onnx;

/// <summary>One helper per ONNX operator, in its opset 17 form.</summary>
public sealed partial class OnnxModelBuilder
{
    // Element-wise arithmetic, numpy-style broadcasting; both operands of one element type.
    public OnnxValue Add(OnnxValue a, OnnxValue b) => Binary("Add", a, b);

    public OnnxValue Sub(OnnxValue a, OnnxValue b) => Binary("Sub", a, b);

    public OnnxValue Mul(OnnxValue a, OnnxValue b) => Binary("Mul", a, b);

    public OnnxValue Div(OnnxValue a, OnnxValue b) => Binary("Div", a, b);

    /// <summary>numpy.matmul semantics: batched, broadcasting, 1-D operands promoted.</summary>
    public OnnxValue MatMul(OnnxValue a, OnnxValue b) => Binary("MatMul", a, b);

    // Comparisons give Bool.
    public OnnxValue Equal(OnnxValue a, OnnxValue b) => Compare("Equal", a, b);

    public OnnxValue Greater(OnnxValue a, OnnxValue b) => Compare("Greater", a, b);

    public OnnxValue Less(OnnxValue a, OnnxValue b) => Compare("Less", a, b);

    // Element-wise unary functions.
    public OnnxValue Relu(OnnxValue x) => Unary("Relu", x);

    public OnnxValue Sigmoid(OnnxValue x) => UnaryFloating("Sigmoid", x);

    public OnnxValue Tanh(OnnxValue x) => UnaryFloating("Tanh", x);

    public OnnxValue Exp(OnnxValue x) => UnaryFloating("Exp", x);

    public OnnxValue Erf(OnnxValue x) => UnaryFloating("Erf", x);

    public OnnxValue Sqrt(OnnxValue x) => UnaryFloating("Sqrt", x);

    public OnnxValue Neg(OnnxValue x) => Unary("Neg", x);

    /// <summary>
    /// Y = alpha * A' * B' + beta * C, with A' = transpose(A) if <paramref name="transA"/>, likewise B'.
    /// A and B are 2-D; C is unidirectionally broadcast to [M, N]. A TorchSharp Linear is
    /// <c>Gemm(x, weight, bias, transB: true)</c> since its weight is [out, in].
    /// </summary>
    public OnnxValue Gemm(
        OnnxValue a,
        OnnxValue b,
        OnnxValue? c = null,
        float alpha = 1f,
        float beta = 1f,
        bool transA = false,
        bool transB = false)
    {
        SameType("Gemm", a, b);
        if (c is { } bias)
        {
            SameType("Gemm", a, bias);
        }

        var attributes = new List<OnnxAttributeValue>();
        if (alpha != 1f)
        {
            attributes.Add(OnnxAttributeValue.Float("alpha", alpha));
        }

        if (beta != 1f)
        {
            attributes.Add(OnnxAttributeValue.Float("beta", beta));
        }

        if (transA)
        {
            attributes.Add(OnnxAttributeValue.Int("transA", 1));
        }

        if (transB)
        {
            attributes.Add(OnnxAttributeValue.Int("transB", 1));
        }

        return AddNode("Gemm", c is null ? [a, b] : [a, b, c], a.ElementType, attributes);
    }

    /// <summary>Softmax along one axis (opset 13+ semantics: only that axis, not the flattened tail).</summary>
    public OnnxValue Softmax(OnnxValue x, long axis = -1)
    {
        RequireFloating("Softmax", x);
        return AddNode("Softmax", [x], x.ElementType, [OnnxAttributeValue.Int("axis", axis)]);
    }

    /// <summary>
    /// LayerNormalization (opset 17): normalizes over the dimensions from <paramref name="axis"/> on, then
    /// scale and bias, whose shape is those trailing dimensions (a TorchSharp LayerNorm's weight and bias).
    /// </summary>
    public OnnxValue LayerNormalization(OnnxValue x, OnnxValue scale, OnnxValue? bias = null, long axis = -1, float epsilon = 1e-5f)
    {
        RequireFloating("LayerNormalization", x);
        SameType("LayerNormalization", x, scale);
        if (bias is { } b)
        {
            SameType("LayerNormalization", x, b);
        }

        return AddNode(
            "LayerNormalization",
            bias is null ? [x, scale] : [x, scale, bias],
            x.ElementType,
            [OnnxAttributeValue.Int("axis", axis), OnnxAttributeValue.Float("epsilon", epsilon)]);
    }

    /// <summary>ReduceMax, opset 17 form: axes is an attribute (it becomes an input only in opset 18).</summary>
    public OnnxValue ReduceMax(OnnxValue x, IReadOnlyList<long> axes, bool keepDims = true) =>
        ReduceWithAxesAttribute("ReduceMax", x, axes, keepDims);

    /// <summary>ReduceMean, opset 17 form: axes is an attribute.</summary>
    public OnnxValue ReduceMean(OnnxValue x, IReadOnlyList<long> axes, bool keepDims = true) =>
        ReduceWithAxesAttribute("ReduceMean", x, axes, keepDims);

    /// <summary>ReduceSum, opset 13+ form: axes is an int64 input.</summary>
    public OnnxValue ReduceSum(OnnxValue x, IReadOnlyList<long> axes, bool keepDims = true)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Count == 0)
        {
            throw new OnnxGraphException("ReduceSum needs at least one axis (an empty axes input means 'all axes').");
        }

        return AddNode("ReduceSum", [x, Int64Vector([.. axes])], x.ElementType, [OnnxAttributeValue.Int("keepdims", keepDims ? 1 : 0)]);
    }

    public OnnxValue Concat(long axis, params OnnxValue[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length == 0)
        {
            throw new OnnxGraphException("Concat needs at least one input.");
        }

        foreach (var input in inputs)
        {
            SameType("Concat", inputs[0], input);
        }

        return AddNode("Concat", [.. inputs.Select(v => (OnnxValue?)v)], inputs[0].ElementType, [OnnxAttributeValue.Int("axis", axis)]);
    }

    /// <summary>Reshape to a constant shape; 0 copies the input's dimension, -1 is inferred.</summary>
    public OnnxValue Reshape(OnnxValue x, params long[] shape) => Reshape(x, Int64Vector(shape));

    /// <summary>Reshape to a shape computed in the graph (a 1-D int64 tensor).</summary>
    public OnnxValue Reshape(OnnxValue x, OnnxValue shape)
    {
        RequireType("Reshape", shape, OnnxElementType.Int64);
        return AddNode("Reshape", [x, shape], x.ElementType, []);
    }

    public OnnxValue Transpose(OnnxValue x, params long[] perm)
    {
        ArgumentNullException.ThrowIfNull(perm);
        return AddNode("Transpose", [x], x.ElementType, perm.Length == 0 ? [] : [OnnxAttributeValue.Ints("perm", perm)]);
    }

    /// <summary>Gather slices of <paramref name="data"/> along <paramref name="axis"/> at int32/int64 indices.</summary>
    public OnnxValue Gather(OnnxValue data, OnnxValue indices, long axis = 0)
    {
        RequireIndex("Gather", indices);
        return AddNode("Gather", [data, indices], data.ElementType, [OnnxAttributeValue.Int("axis", axis)]);
    }

    /// <summary>Unsqueeze, opset 13+ form: axes is an int64 input.</summary>
    public OnnxValue Unsqueeze(OnnxValue x, params long[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        return AddNode("Unsqueeze", [x, Int64Vector(axes)], x.ElementType, []);
    }

    /// <summary>Squeeze, opset 13+ form: axes is an int64 input.</summary>
    public OnnxValue Squeeze(OnnxValue x, params long[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        return AddNode("Squeeze", [x, Int64Vector(axes)], x.ElementType, []);
    }

    /// <summary>Slice with constant bounds (ends are clamped, so long.MaxValue means "to the end").</summary>
    public OnnxValue Slice(OnnxValue x, long[] starts, long[] ends, long[]? axes = null, long[]? steps = null)
    {
        ArgumentNullException.ThrowIfNull(starts);
        ArgumentNullException.ThrowIfNull(ends);
        if (starts.Length != ends.Length || (axes is not null && axes.Length != starts.Length) ||
            (steps is not null && steps.Length != starts.Length))
        {
            throw new OnnxGraphException("Slice needs starts, ends, axes and steps of one length.");
        }

        return Slice(
            x,
            Int64Vector(starts),
            Int64Vector(ends),
            axes is null ? null : Int64Vector(axes),
            steps is null ? null : Int64Vector(steps));
    }

    /// <summary>Slice with bounds computed in the graph (1-D int64 tensors).</summary>
    public OnnxValue Slice(OnnxValue x, OnnxValue starts, OnnxValue ends, OnnxValue? axes = null, OnnxValue? steps = null)
    {
        RequireIndex("Slice", starts);
        SameType("Slice", starts, ends);
        if (axes is { } a)
        {
            SameType("Slice", starts, a);
        }

        if (steps is { } s)
        {
            SameType("Slice", starts, s);
        }

        OnnxValue?[] inputs = steps is not null
            ? [x, starts, ends, axes, steps]
            : axes is not null ? [x, starts, ends, axes] : [x, starts, ends];
        return AddNode("Slice", inputs, x.ElementType, []);
    }

    /// <summary>The shape of <paramref name="x"/> as a 1-D int64 tensor, optionally only dims [start, end).</summary>
    public OnnxValue Shape(OnnxValue x, long? start = null, long? end = null)
    {
        var attributes = new List<OnnxAttributeValue>();
        if (start is { } s)
        {
            attributes.Add(OnnxAttributeValue.Int("start", s));
        }

        if (end is { } e)
        {
            attributes.Add(OnnxAttributeValue.Int("end", e));
        }

        return AddNode("Shape", [x], OnnxElementType.Int64, attributes);
    }

    /// <summary>Broadcasts <paramref name="x"/> to a shape given as a 1-D int64 tensor (bidirectional broadcast).</summary>
    public OnnxValue Expand(OnnxValue x, OnnxValue shape)
    {
        RequireType("Expand", shape, OnnxElementType.Int64);
        return AddNode("Expand", [x, shape], x.ElementType, []);
    }

    /// <summary>Element-wise <paramref name="condition"/> ? <paramref name="x"/> : <paramref name="y"/>, broadcasting all three.</summary>
    public OnnxValue Where(OnnxValue condition, OnnxValue x, OnnxValue y)
    {
        RequireType("Where", condition, OnnxElementType.Bool);
        SameType("Where", x, y);
        return AddNode("Where", [condition, x, y], x.ElementType, []);
    }

    public OnnxValue Cast(OnnxValue x, OnnxElementType to) =>
        AddNode("Cast", [x], to, [OnnxAttributeValue.Int("to", (long)to)]);

    /// <summary>[start, start + delta, ...) below <paramref name="limit"/>; all three are scalars of one type.</summary>
    public OnnxValue Range(OnnxValue start, OnnxValue limit, OnnxValue delta)
    {
        SameType("Range", start, limit);
        SameType("Range", start, delta);
        return AddNode("Range", [start, limit, delta], start.ElementType, []);
    }

    /// <summary>
    /// ScatterElements (opset 16-17): output = data, with updates written at indices along axis; with
    /// <see cref="OnnxScatterReduction.Add"/> duplicate indices accumulate (a segment sum).
    /// </summary>
    public OnnxValue ScatterElements(
        OnnxValue data,
        OnnxValue indices,
        OnnxValue updates,
        long axis = 0,
        OnnxScatterReduction reduction = OnnxScatterReduction.None)
    {
        RequireIndex("ScatterElements", indices);
        SameType("ScatterElements", data, updates);
        var mode = reduction switch
        {
            OnnxScatterReduction.None => "none",
            OnnxScatterReduction.Add => "add",
            OnnxScatterReduction.Multiply => "mul",
            _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction."),
        };
        return AddNode(
            "ScatterElements",
            [data, indices, updates],
            data.ElementType,
            [OnnxAttributeValue.Int("axis", axis), OnnxAttributeValue.String("reduction", mode)]);
    }

    private OnnxValue ReduceWithAxesAttribute(string opType, OnnxValue x, IReadOnlyList<long> axes, bool keepDims)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Count == 0)
        {
            throw new OnnxGraphException($"{opType} needs at least one axis.");
        }

        return AddNode(
            opType,
            [x],
            x.ElementType,
            [OnnxAttributeValue.Ints("axes", [.. axes]), OnnxAttributeValue.Int("keepdims", keepDims ? 1 : 0)]);
    }

    private OnnxValue Binary(string opType, OnnxValue a, OnnxValue b)
    {
        SameType(opType, a, b);
        RequireNumeric(opType, a);
        return AddNode(opType, [a, b], a.ElementType, []);
    }

    private OnnxValue Compare(string opType, OnnxValue a, OnnxValue b)
    {
        SameType(opType, a, b);
        return AddNode(opType, [a, b], OnnxElementType.Bool, []);
    }

    private OnnxValue Unary(string opType, OnnxValue x)
    {
        RequireNumeric(opType, x);
        return AddNode(opType, [x], x.ElementType, []);
    }

    private OnnxValue UnaryFloating(string opType, OnnxValue x)
    {
        RequireFloating(opType, x);
        return AddNode(opType, [x], x.ElementType, []);
    }

    private void SameType(string opType, OnnxValue a, OnnxValue b)
    {
        Require(a, opType);
        Require(b, opType);
        if (a.ElementType != b.ElementType)
        {
            throw new OnnxGraphException(
                $"{opType} in graph '{GraphName}': '{a.Name}' is {a.ElementType} but '{b.Name}' is {b.ElementType}; Cast one of them first.");
        }
    }

    private void RequireType(string opType, OnnxValue x, OnnxElementType expected)
    {
        Require(x, opType);
        if (x.ElementType != expected)
        {
            throw new OnnxGraphException($"{opType} in graph '{GraphName}': '{x.Name}' must be {expected}, not {x.ElementType}.");
        }
    }

    private void RequireIndex(string opType, OnnxValue x)
    {
        Require(x, opType);
        if (x.ElementType is not (OnnxElementType.Int64 or OnnxElementType.Int32))
        {
            throw new OnnxGraphException($"{opType} in graph '{GraphName}': indices '{x.Name}' must be Int64 or Int32, not {x.ElementType}.");
        }
    }

    private void RequireFloating(string opType, OnnxValue x)
    {
        Require(x, opType);
        if (x.ElementType is not (OnnxElementType.Float or OnnxElementType.Double))
        {
            throw new OnnxGraphException($"{opType} in graph '{GraphName}': '{x.Name}' must be Float or Double, not {x.ElementType}.");
        }
    }

    private void RequireNumeric(string opType, OnnxValue x)
    {
        Require(x, opType);
        if (x.ElementType == OnnxElementType.Bool)
        {
            throw new OnnxGraphException($"{opType} in graph '{GraphName}': '{x.Name}' is Bool; Cast it to a number first.");
        }
    }
}
