using System.Runtime.InteropServices;
using GraphRouter.Onnx.Protobuf;

namespace GraphRouter.Onnx;

/// <summary>
/// Builds an ONNX model (IR 8, default domain opset 17) node by node and writes its <c>ModelProto</c> bytes.
/// Nodes are added in call order, which is a topological order by construction: every input a node uses
/// must already be a graph input, an initializer or an earlier node's output, and is checked when the
/// node is added. Generated names depend only on the call sequence, so the same calls give the same bytes.
/// </summary>
/// <example>
/// <code>
/// var b = new OnnxModelBuilder("scorer");
/// var x = b.Input("features", OnnxElementType.Float, ["candidates", 512]);
/// var h = b.Relu(b.Linear(x, b.Initializer("fc1.weight", w1, 256, 512), b.Initializer("fc1.bias", b1, 256)));
/// var s = b.Linear(h, b.Initializer("fc2.weight", w2, 1, 256), b.Initializer("fc2.bias", b2, 1));
/// b.Output("scores", b.Squeeze(s, 1), ["candidates"]);
/// File.WriteAllBytes("scorer.onnx", b.Build());
/// </code>
/// </example>
/// <remarks>
/// The operator helpers (<c>OnnxModelBuilder.Operators.cs</c>) follow opset 17 signatures: ReduceSum,
/// Squeeze, Unsqueeze and Slice take axes as inputs, ReduceMax and ReduceMean as an attribute; GELU is
/// written with Erf because the Gelu operator only exists from opset 20.
/// </remarks>
public sealed partial class OnnxModelBuilder
{
    /// <summary>The default-domain operator set the helpers are written against.</summary>
    public const int OpsetVersion = 17;

    /// <summary>The IR version that goes with opset 17 (ONNX 1.12).</summary>
    public const long IrVersion = 8;

    private readonly List<NodeDefinition> _nodes = [];
    private readonly List<TensorDefinition> _initializers = [];
    private readonly List<ValueInfoDefinition> _inputs = [];
    private readonly List<ValueInfoDefinition> _outputs = [];
    private readonly Dictionary<string, OnnxElementType> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);
    private int _nextId;

    public OnnxModelBuilder(string graphName, string producerVersion = "1")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        ArgumentException.ThrowIfNullOrWhiteSpace(producerVersion);
        GraphName = graphName;
        ProducerVersion = producerVersion;
    }

    public string GraphName { get; }

    /// <summary>Written as the model's producer_version; the producer name is "GraphRouter".</summary>
    public string ProducerVersion { get; }

    public int NodeCount => _nodes.Count;

    public int InitializerCount => _initializers.Count;

    /// <summary>Declares a graph input. Each dimension is fixed or symbolic (e.g. <c>["history", 64]</c>).</summary>
    public OnnxValue Input(string name, OnnxElementType elementType, IReadOnlyList<OnnxDim> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var value = Register(name, elementType, "graph input");
        _inputs.Add(new ValueInfoDefinition { Name = name, ElementType = elementType, Shape = [.. shape] });
        return value;
    }

    /// <summary>A named float initializer (a weight), row-major, of the given shape.</summary>
    public OnnxValue Initializer(string name, ReadOnlySpan<float> values, params long[] shape) =>
        AddInitializer(name, OnnxElementType.Float, MemoryMarshal.AsBytes(values).ToArray(), values.Length, shape);

    /// <summary>A named int64 initializer, row-major, of the given shape.</summary>
    public OnnxValue Initializer(string name, ReadOnlySpan<long> values, params long[] shape) =>
        AddInitializer(name, OnnxElementType.Int64, MemoryMarshal.AsBytes(values).ToArray(), values.Length, shape);

    /// <summary>An auto-named rank-0 float constant.</summary>
    public OnnxValue FloatScalar(float value) => Initializer(NextName("const"), [value]);

    /// <summary>An auto-named rank-0 int64 constant.</summary>
    public OnnxValue Int64Scalar(long value) => Initializer(NextName("const"), [value]);

    /// <summary>An auto-named 1-D int64 constant (axes, shapes, slice bounds).</summary>
    public OnnxValue Int64Vector(params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Initializer(NextName("const"), values, values.Length);
    }

    /// <summary>An auto-named float constant of the given shape.</summary>
    public OnnxValue FloatTensor(ReadOnlySpan<float> values, params long[] shape) =>
        Initializer(NextName("const"), values, shape);

    /// <summary>
    /// Declares a graph output named <paramref name="name"/> carrying <paramref name="value"/> (through an
    /// Identity node). A null shape leaves the rank unknown; an empty one declares a scalar.
    /// </summary>
    public OnnxValue Output(string name, OnnxValue value, IReadOnlyList<OnnxDim>? shape = null)
    {
        Require(value, $"Output '{name}'");
        var output = Register(name, value.ElementType, "graph output");
        AddNodeWithOutput("Identity", [value], output.Name, []);
        _outputs.Add(new ValueInfoDefinition
        {
            Name = name,
            ElementType = value.ElementType,
            Shape = shape is null ? null : [.. shape],
        });
        return output;
    }

    /// <summary>The value this builder knows under <paramref name="name"/>.</summary>
    public OnnxValue Value(string name) =>
        _values.TryGetValue(name, out var type)
            ? new OnnxValue(name, type)
            : throw new OnnxGraphException($"Graph '{GraphName}' has no value named '{name}'.");

    /// <summary>
    /// Adds any default-domain operator with one output whose element type the caller states. The helpers
    /// cover what the GraphRouter models use; this is the escape hatch for anything else.
    /// </summary>
    public OnnxValue Node(string opType, IReadOnlyList<OnnxValue> inputs, OnnxElementType outputType, params OnnxAttributeValue[] attributes)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return AddNode(opType, [.. inputs.Select(v => (OnnxValue?)v)], outputType, attributes);
    }

    /// <summary>Writes the model. Throws <see cref="OnnxGraphException"/> if the graph has no output.</summary>
    public byte[] Build()
    {
        if (_outputs.Count == 0)
        {
            throw new OnnxGraphException($"Graph '{GraphName}' declares no output; call Output(...) before Build().");
        }

        return OnnxProtoWriter.WriteModel(
            IrVersion, OpsetVersion, "GraphRouter", ProducerVersion, GraphName, _nodes, _initializers, _inputs, _outputs);
    }

    internal OnnxValue AddNode(string opType, IReadOnlyList<OnnxValue?> inputs, OnnxElementType outputType, IReadOnlyList<OnnxAttributeValue> attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        var outputName = NextName(opType);
        ValidateInputs(opType, outputName, inputs);
        var output = Register(outputName, outputType, "node output");
        AddNodeWithOutput(opType, inputs, outputName, attributes);
        return output;
    }

    private void AddNodeWithOutput(string opType, IReadOnlyList<OnnxValue?> inputs, string outputName, IReadOnlyList<OnnxAttributeValue> attributes)
    {
        var nodeName = $"{opType}_{_nodes.Count}";
        while (!_nodeNames.Add(nodeName))
        {
            nodeName += "_";
        }

        _nodes.Add(new NodeDefinition
        {
            Name = nodeName,
            OpType = opType,
            Inputs = [.. inputs.Select(v => v?.Name ?? "")],
            Outputs = [outputName],
            Attributes = [.. attributes],
        });
    }

    private void ValidateInputs(string opType, string outputName, IReadOnlyList<OnnxValue?> inputs)
    {
        foreach (var input in inputs)
        {
            if (input is { } value)
            {
                Require(value, $"{opType} node producing '{outputName}'");
            }
        }
    }

    private void Require(OnnxValue value, string context)
    {
        if (string.IsNullOrEmpty(value.Name) || !_values.TryGetValue(value.Name, out var known))
        {
            throw new OnnxGraphException(
                $"{context} in graph '{GraphName}': input '{value.Name}' is not a graph input, an initializer " +
                "or the output of an earlier node.");
        }

        if (known != value.ElementType)
        {
            throw new OnnxGraphException(
                $"{context} in graph '{GraphName}': input '{value.Name}' is {known}, not {value.ElementType}.");
        }
    }

    private OnnxValue AddInitializer(string name, OnnxElementType elementType, byte[] rawData, int count, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian; this writer needs a little-endian machine.");
        }

        long expected = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new OnnxGraphException($"Initializer '{name}' has a negative dimension in shape [{string.Join(", ", shape)}].");
            }

            expected *= dim;
        }

        if (expected != count)
        {
            throw new OnnxGraphException(
                $"Initializer '{name}' has {count} elements but shape [{string.Join(", ", shape)}] needs {expected}.");
        }

        var value = Register(name, elementType, "initializer");
        _initializers.Add(new TensorDefinition { Name = name, ElementType = elementType, Dims = [.. shape], RawData = rawData });
        return value;
    }

    private OnnxValue Register(string name, OnnxElementType elementType, string role)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!Enum.IsDefined(elementType))
        {
            throw new OnnxGraphException($"The {role} '{name}' has an unsupported element type {(int)elementType}.");
        }

        if (!_values.TryAdd(name, elementType))
        {
            throw new OnnxGraphException($"Graph '{GraphName}' already has a value named '{name}'; the {role} needs another name.");
        }

        return new OnnxValue(name, elementType);
    }

    private string NextName(string prefix)
    {
        string name;
        do
        {
            name = $"{prefix}_{_nextId++}";
        }
        while (_values.ContainsKey(name));

        return name;
    }
}
