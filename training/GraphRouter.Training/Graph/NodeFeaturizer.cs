using GraphRouter.Core.Datasets;
using GraphRouter.Core.Domain;
using GraphRouter.Core.Featurization;

namespace GraphRouter.Training.Graph;

/// <summary>
/// Turns the dataset's records into node features for training. Query = the query encoder's vector (a
/// training prompt's out-of-fold vector when the encoder gives one); Llm = an index into the model's learned
/// vectors. The feature math itself (query profile, φ(llm, q), Response rows) is Core's
/// <see cref="PreferenceFeatures"/>, which serving runs on the store's history: this class only looks up the
/// dataset (prompt texts, realized answers' length and cost) and caches per prompt.
/// </summary>
public sealed class NodeFeaturizer
{
    private readonly PreferenceDataset _data;
    private readonly Dictionary<string, float[]> _queryVectors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, float[]> _profiles = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, float[]> _outOfFold;

    public NodeFeaturizer(PreferenceDataset data, IQueryEncoder encoder, ResponseStatistics statistics, IReadOnlyDictionary<string, float[]>? outOfFold = null)
    {
        _data = data;
        _outOfFold = outOfFold ?? new Dictionary<string, float[]>();
        Preferences = new PreferenceFeatures(encoder, data.Llms.Select(l => l.Name).ToArray(), statistics, data.Scale);
    }

    /// <summary>The shared feature math, configured with this featurizer's encoder, catalog, statistics and scale.</summary>
    public PreferenceFeatures Preferences { get; }
    public IQueryEncoder Encoder => Preferences.Encoder;
    public ResponseStatistics Statistics => Preferences.Statistics;
    public RatingScale Scale => Preferences.Scale;
    public IReadOnlyList<string> Llms => Preferences.Llms;
    public int QueryDimension => Preferences.QueryDimension;
    /// <summary>The training prompts' out-of-fold vectors this featurizer serves instead of the encoder's.</summary>
    public IReadOnlyDictionary<string, float[]> OutOfFold => _outOfFold;

    /// <summary>Size of φ(llm, q): L one-hot + L × kinds + 3 predictions.</summary>
    public int CandidateDimension => Preferences.CandidateDimension;

    /// <summary>Features per Response node: 6 + <see cref="CandidateDimension"/>.</summary>
    public int ResponseDimension => Preferences.ResponseDimension;

    public int LlmIndex(string llm) => Preferences.LlmIndex(llm);

    /// <summary>The encoder's vector for a prompt (out-of-fold for a training prompt when given), cached by id.</summary>
    public float[] QueryVector(QueryInfo query)
    {
        if (!_queryVectors.TryGetValue(query.Id, out var vector))
        {
            vector = _outOfFold.TryGetValue(query.Id, out var oof) ? oof : Encoder.Encode(query.Text);
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
            Profile(query);
        }
    }

    /// <summary>Writes φ(llm, q) of each candidate (relative to the whole catalog) into [candidates, CandidateDimension].</summary>
    public void WriteCandidates(string queryId, IReadOnlyList<int> candidates, Span<float> destination)
    {
        var indices = candidates as int[] ?? [.. candidates];
        Preferences.WriteCandidates(Profile(_data.Query(queryId)), indices, destination);
    }

    /// <summary>Writes one Response node's features per rating of <paramref name="interaction"/>; an answer the dataset lacks has length and cost 0.</summary>
    public void WriteResponses(Interaction interaction, Span<float> destination)
    {
        var responses = new ResponseObservation[interaction.Ratings.Count];
        for (var i = 0; i < responses.Length; i++)
        {
            var rated = interaction.Ratings[i];
            responses[i] = _data.TryGetOutcome(interaction.QueryId, rated.Llm, out var outcome)
                ? new ResponseObservation(LlmIndex(rated.Llm), rated.Rating, outcome.Response.Length, outcome.CostUsd)
                : new ResponseObservation(LlmIndex(rated.Llm), rated.Rating, null, null);
        }
        Preferences.WriteResponses(Profile(_data.Query(interaction.QueryId)), responses, destination);
    }

    /// <summary>Per query: kind probabilities, then per catalog LLM its predicted (correct, loglength, logcost) from the query's vector (out-of-fold for a training prompt).</summary>
    private float[] Profile(QueryInfo query)
    {
        if (_profiles.TryGetValue(query.Id, out var profile))
        {
            return profile;
        }
        profile = new float[Preferences.ProfileDimension];
        Preferences.WriteProfile(Preferences.KindProbabilities(query.Text), QueryVector(query), profile);
        _profiles[query.Id] = profile;
        return profile;
    }
}
