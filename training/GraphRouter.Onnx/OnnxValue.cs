namespace GraphRouter.Onnx;

/// <summary>
/// A named tensor in a graph under construction: a graph input, an initializer or a node's output.
/// The builder hands these out; a value whose name the builder does not know is rejected when used.
/// </summary>
public readonly record struct OnnxValue(string Name, OnnxElementType ElementType)
{
    public override string ToString() => $"{Name}:{ElementType}";
}
