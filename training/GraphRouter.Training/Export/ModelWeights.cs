using TorchSharp;
using static TorchSharp.torch;

namespace GraphRouter.Training.Export;

/// <summary>
/// A trained module's parameters copied out of libtorch as row-major float arrays, keyed by their state-dict
/// names (the module field names, e.g. <c>encoder.layers.0.key.Query.weight</c>). The ONNX writers read
/// weights only through <see cref="Get"/>, which checks each shape, so a renamed or resized module fails the
/// export instead of writing a graph that computes something else.
/// </summary>
public sealed class ModelWeights
{
    private readonly Dictionary<string, (float[] Values, long[] Shape)> _tensors;

    private ModelWeights(Dictionary<string, (float[] Values, long[] Shape)> tensors)
    {
        _tensors = tensors;
    }

    public IReadOnlyCollection<string> Names => _tensors.Keys;

    public static ModelWeights From(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var tensors = new Dictionary<string, (float[] Values, long[] Shape)>(StringComparer.Ordinal);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, tensor) in module.state_dict())
        {
            var cpu = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();
            tensors[name] = (cpu.data<float>().ToArray(), cpu.shape.ToArray());
        }
        return new ModelWeights(tensors);
    }

    /// <summary>The values of parameter <paramref name="name"/>, which must have exactly <paramref name="shape"/>.</summary>
    public float[] Get(string name, params long[] shape)
    {
        if (!_tensors.TryGetValue(name, out var tensor))
        {
            throw new InvalidOperationException($"the model has no parameter '{name}' (it has: {string.Join(", ", _tensors.Keys.Order(StringComparer.Ordinal))})");
        }
        if (!tensor.Shape.SequenceEqual(shape))
        {
            throw new InvalidOperationException($"parameter '{name}' is [{string.Join(", ", tensor.Shape)}], expected [{string.Join(", ", shape)}]");
        }
        return tensor.Values;
    }

    /// <summary>Whether parameter <paramref name="name"/> exists.</summary>
    public bool Contains(string name) => _tensors.ContainsKey(name);
}
