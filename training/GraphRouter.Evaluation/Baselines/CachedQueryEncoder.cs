using System.Collections.Concurrent;
using GraphRouter.Core.Featurization;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>Wraps an encoder so each distinct text is encoded once: the baselines share it and encode the dataset once.</summary>
public sealed class CachedQueryEncoder(IQueryEncoder inner) : IQueryEncoder
{
    private readonly ConcurrentDictionary<string, float[]> _cache = new(StringComparer.Ordinal);

    public string Name => inner.Name;

    public int Dimension => inner.Dimension;

    public void Encode(string text, Span<float> destination)
    {
        var vector = _cache.GetOrAdd(text, t => inner.Encode(t));
        vector.AsSpan().CopyTo(destination);
    }
}
