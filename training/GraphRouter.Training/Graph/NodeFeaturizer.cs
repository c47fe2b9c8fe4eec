using GraphRouter.Core.Datasets;
using GraphRouter.Core.Domain;
using GraphRouter.Core.Featurization;

namespace GraphRouter.Training.Graph;

/// <summary>
/// Turns domain records into node features: Query = the query encoder's vector; Llm = an index into the
/// model's learned vectors; Response = the rating normalized on the declared scale, the same rating
/// centred within its comparison (ratings only mean something relative to the other answers the user
/// saw), the realized answer's standardized log length and log cost, and the centred rating times the
/// answer's length and cost relative to the comparison's and times its LLM's one-hot: the within-comparison
/// contrasts a taste for length, cost and particular models shows up in, so that averaging Turns over a
/// history estimates them.
/// </summary>
public sealed class NodeFeaturizer
{
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

    /// <summary>Features per Response node: 6 + one per catalog LLM.</summary>
    public int ResponseDimension => 6 + Llms.Count;

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

    /// <summary>Encodes every prompt of the dataset up front, so training allocates no new vectors per epoch.</summary>
    public void EncodeAllQueries()
    {
        foreach (var query in _data.Queries)
        {
            QueryVector(query);
        }
    }

    /// <summary>Writes one Response node's features per rating of <paramref name="interaction"/>.</summary>
    public void WriteResponses(Interaction interaction, Span<float> destination)
    {
        var count = interaction.Ratings.Count;
        var normalized = new double[count];
        var length = new double[count];
        var cost = new double[count];
        for (var i = 0; i < count; i++)
        {
            normalized[i] = _data.Scale.Normalize(interaction.Ratings[i].Rating);
            if (_data.TryGetOutcome(interaction.QueryId, interaction.Ratings[i].Llm, out var outcome))
            {
                length[i] = Statistics.StandardLogLength(outcome.Response.Length);
                cost[i] = Statistics.StandardLogCost(outcome.CostUsd);
            }
        }
        var (meanRating, meanLength, meanCost) = (normalized.Average(), length.Average(), cost.Average());
        var width = ResponseDimension;
        destination[..(count * width)].Clear();
        for (var i = 0; i < count; i++)
        {
            var row = destination.Slice(i * width, width);
            var centred = normalized[i] - meanRating;
            row[0] = (float)normalized[i];
            row[1] = (float)centred;
            row[2] = (float)length[i];
            row[3] = (float)cost[i];
            row[4] = (float)(centred * (length[i] - meanLength));
            row[5] = (float)(centred * (cost[i] - meanCost));
            row[6 + LlmIndex(interaction.Ratings[i].Llm)] = (float)centred;
        }
    }
}
