using GraphRouter.Core.Datasets;
using GraphRouter.Core.Featurization;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>Encodes each prompt once (by id) with the baseline's <see cref="IQueryEncoder"/>; single-threaded use.</summary>
internal sealed class QueryFeatureCache
{
    private readonly IQueryEncoder _encoder;
    private readonly Dictionary<string, float[]> _vectors = new(StringComparer.Ordinal);

    public QueryFeatureCache(IQueryEncoder encoder) => _encoder = encoder;

    public int Dimension => _encoder.Dimension;

    public float[] Get(string id, string text)
    {
        if (!_vectors.TryGetValue(id, out var vector))
        {
            vector = _encoder.Encode(text);
            _vectors[id] = vector;
        }
        return vector;
    }

    public float[] Get(PreferenceDataset data, string queryId) => Get(queryId, data.Query(queryId).Text);
}
