namespace GraphRouter.Onnx;

/// <summary>A node attribute: one float, int, string, or a list of floats or ints.</summary>
public sealed class OnnxAttributeValue
{
    private OnnxAttributeValue(string name, OnnxAttributeKind kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Kind = kind;
    }

    public string Name { get; }

    public OnnxAttributeKind Kind { get; }

    internal float FloatValue { get; private init; }

    internal long IntValue { get; private init; }

    internal string StringValue { get; private init; } = "";

    internal IReadOnlyList<float> FloatValues { get; private init; } = [];

    internal IReadOnlyList<long> IntValues { get; private init; } = [];

    public static OnnxAttributeValue Float(string name, float value) =>
        new(name, OnnxAttributeKind.Float) { FloatValue = value };

    public static OnnxAttributeValue Int(string name, long value) =>
        new(name, OnnxAttributeKind.Int) { IntValue = value };

    public static OnnxAttributeValue String(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(name, OnnxAttributeKind.String) { StringValue = value };
    }

    public static OnnxAttributeValue Floats(string name, params float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(name, OnnxAttributeKind.Floats) { FloatValues = [.. values] };
    }

    public static OnnxAttributeValue Ints(string name, params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(name, OnnxAttributeKind.Ints) { IntValues = [.. values] };
    }
}
