using GraphRouter.Onnx;

namespace GraphRouter.Training.Export;

/// <summary>
/// An <see cref="OnnxModelBuilder"/> bound to a model's <see cref="ModelWeights"/>: each parameter becomes
/// one initializer named after it (written once however often it is used), and TorchSharp's Linear layers
/// are written from their own [out, in] weights.
/// </summary>
internal sealed class WeightedGraph
{
    private readonly Dictionary<string, OnnxValue> _initializers = new(StringComparer.Ordinal);

    public WeightedGraph(string name, ModelWeights weights, string producerVersion)
    {
        Builder = new OnnxModelBuilder(name, producerVersion);
        Weights = weights;
    }

    public OnnxModelBuilder Builder { get; }

    public ModelWeights Weights { get; }

    /// <summary>Parameter <paramref name="name"/> (checked to be <paramref name="shape"/>) as an initializer.</summary>
    public OnnxValue Parameter(string name, params long[] shape) =>
        Derived(name, () => Weights.Get(name, shape), shape);

    /// <summary>An initializer computed once from parameters (a transpose, a slice), named <paramref name="name"/>.</summary>
    public OnnxValue Derived(string name, Func<float[]> values, params long[] shape)
    {
        if (!_initializers.TryGetValue(name, out var value))
        {
            value = Builder.Initializer(name, values(), shape);
            _initializers[name] = value;
        }
        return value;
    }

    /// <summary>A TorchSharp Linear on a 2-D input [rows, in]: Gemm with the [out, in] weight and the bias.</summary>
    public OnnxValue Linear(OnnxValue x, string module, int inputs, int outputs, bool bias = true) =>
        Builder.Linear(x, Parameter(module + ".weight", outputs, inputs), bias ? Parameter(module + ".bias", outputs) : null);

    /// <summary>A TorchSharp Linear on an input of any rank [..., in]: MatMul with the transposed weight, plus the bias.</summary>
    public OnnxValue LinearNd(OnnxValue x, string module, int inputs, int outputs, bool bias = true)
    {
        var weight = Derived(module + ".weight.T", () => Transpose(Weights.Get(module + ".weight", outputs, inputs), outputs, inputs), inputs, outputs);
        var product = Builder.MatMul(x, weight);
        return bias ? Builder.Add(product, Parameter(module + ".bias", outputs)) : product;
    }

    /// <summary>
    /// A TorchSharp Linear [hidden → hidden] followed by per-head matrices A[h] ([heads, d, d]: x viewed
    /// [n, heads, d], then einsum("nhd,hde->nhe")), folded into one Gemm: weight'[h·d + e, i] = Σ_k A[h, k, e] ·
    /// weight[h·d + k, i] and bias'[h·d + e] = Σ_k A[h, k, e] · bias[h·d + k], summed in double.
    /// </summary>
    public OnnxValue LinearThenHeads(OnnxValue x, string module, string suffix, ReadOnlyMemory<float> perHead, int heads, int headSize)
    {
        var width = heads * headSize;
        float[] Fold(bool bias)
        {
            var w = Weights.Get(module + ".weight", width, width);
            var b = Weights.Get(module + ".bias", width);
            var a = perHead.Span;
            var result = new float[bias ? width : width * width];
            for (var h = 0; h < heads; h++)
            {
                for (var e = 0; e < headSize; e++)
                {
                    var row = h * headSize + e;
                    for (var i = 0; i < (bias ? 1 : width); i++)
                    {
                        var sum = 0.0;
                        for (var k = 0; k < headSize; k++)
                        {
                            var source = h * headSize + k;
                            sum += (double)a[(h * headSize + k) * headSize + e] * (bias ? b[source] : w[source * width + i]);
                        }
                        result[bias ? row : row * width + i] = (float)sum;
                    }
                }
            }
            return result;
        }
        return Builder.Linear(x, Derived($"{module}.{suffix}.weight", () => Fold(false), width, width), Derived($"{module}.{suffix}.bias", () => Fold(true), width));
    }

    /// <summary>[rows, cols] row-major to [cols, rows].</summary>
    public static float[] Transpose(float[] values, int rows, int cols)
    {
        var result = new float[values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                result[c * rows + r] = values[r * cols + c];
            }
        }
        return result;
    }

    /// <summary>
    /// Slice <paramref name="index"/> of a [count, ...] parameter, flattened (e.g. one relation's prior row).
    /// </summary>
    public static float[] Slice(float[] values, int count, int index)
    {
        var size = values.Length / count;
        return values.AsSpan(index * size, size).ToArray();
    }
}
