using GraphRouter.Core.Datasets;
using GraphRouter.Core.Domain;
using GraphRouter.Core.Featurization;

namespace GraphRouter.Training.Graph;

/// <summary>
/// Turns domain records into node features: Query = the query encoder's vector; Llm = an index into the
/// model's learned vectors; Response = the rating normalized on the declared scale, the same rating
/// centred within its comparison, and the realized answer's standardized log length and log cost.
/// </summary>
public sealed class NodeFeaturizer
{
    public const int ResponseDimension = 4;

    private readonly PreferenceDataset _data;
    private readonly Dictionary<string, float[]> _queryVectors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _llmIndex;

    public NodeFeaturizer(PreferenceDataset data, IQueryEncoder encoder, ResponseStatistics statistics)
    {
        _data = data;
        Encoder = encoder;
        Statistics = statistics;
        Llms = data.Llms.Select(l => l.Name).ToArray();
        _llmIndex = Llms.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
    }

    public IQueryEncoder Encoder { get; }
    public ResponseStatistics Statistics { get; }
    public RatingScale Scale => _data.Scale;
    public IReadOnlyList<string> Llms { get; }
    public int QueryDimension => Encoder.Dimension;

    public int LlmIndex(string llm) =>
        _llmIndex.TryGetValue(llm, out var i) ? i : throw new ArgumentException($"unknown LLM '{llm}'", nameof(llm));

    /// <summary>The encoder's vector for a prompt, cached by id (prompts repeat across users).</summary>
    public float[] QueryVector(QueryInfo query)
    {
        if (!_queryVectors.TryGetValue(query.Id, out var vector))
        {
            vector = Encoder.Encode(query.Text);
            _queryVectors[query.Id] = vector;
        }
        return vector;
    }

    public float[] QueryVector(string queryId) => QueryVector(_data.Query(queryId));

    /// <summary>Writes one Response node's features per rating of <paramref name="interaction"/>.</summary>
    public void WriteResponses(Interaction interaction, Span<float> destination)
    {
        var normalized = interaction.Ratings.Select(r => _data.Scale.Normalize(r.Rating)).ToArray();
        var mean = normalized.Average();
        for (var i = 0; i < interaction.Ratings.Count; i++)
        {
            var row = destination.Slice(i * ResponseDimension, ResponseDimension);
            row[0] = (float)normalized[i];
            row[1] = (float)(normalized[i] - mean);
            if (_data.TryGetOutcome(interaction.QueryId, interaction.Ratings[i].Llm, out var outcome))
            {
                row[2] = Statistics.StandardLogLength(outcome.Response.Length);
                row[3] = Statistics.StandardLogCost(outcome.CostUsd);
            }
            else
            {
                row[2] = 0;
                row[3] = 0;
            }
        }
    }
}
