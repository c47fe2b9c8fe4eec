using GraphRouter.Core.Datasets;
using GraphRouter.Core.Domain;
using GraphRouter.Core.Featurization;

namespace GraphRouter.Training.Tests.Reference;

/// <summary>
/// The node featurization as training computed it before its math moved to Core's PreferenceFeatures, kept
/// verbatim (loop by loop) as the reference the shared implementation is held bit-identical to; plus the
/// pooled user statistic as GraphBuilder computed it.
/// </summary>
public sealed class LegacyNodeFeaturizer
{
    private const int BaseResponseFeatures = 6;
    private static readonly string[] PredictionPrefixes = ["correct:", "loglength:", "logcost:"];

    private readonly PreferenceDataset _data;
    private readonly Dictionary<string, float[]> _queryVectors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, float[]> _profiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _llmIndex;
    private readonly IReadOnlyDictionary<string, float[]> _outOfFold;
    private readonly int _kinds;
    private readonly int[][] _predictionColumns; // per catalog LLM: encoder output columns of correct, loglength, logcost (-1 when absent)

    public LegacyNodeFeaturizer(PreferenceDataset data, IQueryEncoder encoder, ResponseStatistics statistics, IReadOnlyDictionary<string, float[]>? outOfFold = null)
    {
        _data = data;
        Encoder = encoder;
        Statistics = statistics;
        _outOfFold = outOfFold ?? new Dictionary<string, float[]>();
        Llms = data.Llms.Select(l => l.Name).ToArray();
        _llmIndex = Llms.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        if (encoder is FittedQueryEncoder fitted)
        {
            _kinds = fitted.Kinds.Count;
            var columns = fitted.OutputNames.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
            _predictionColumns = Llms.Select(l => PredictionPrefixes
                .Select(p => columns.TryGetValue(p + l, out var c) ? c : -1).ToArray()).ToArray();
        }
        else
        {
            _predictionColumns = Llms.Select(_ => new[] { -1, -1, -1 }).ToArray();
        }
    }

    public IQueryEncoder Encoder { get; }
    public ResponseStatistics Statistics { get; }
    public RatingScale Scale => _data.Scale;
    public IReadOnlyList<string> Llms { get; }
    public int QueryDimension => Encoder.Dimension;
    /// <summary>The training prompts' out-of-fold vectors this featurizer serves instead of the encoder's.</summary>
    public IReadOnlyDictionary<string, float[]> OutOfFold => _outOfFold;

    /// <summary>Size of φ(llm, q): L one-hot + L × kinds + 3 predictions.</summary>
    public int CandidateDimension => Llms.Count + Llms.Count * _kinds + 3;

    /// <summary>Features per Response node: 6 + <see cref="CandidateDimension"/>.</summary>
    public int ResponseDimension => BaseResponseFeatures + CandidateDimension;

    public int LlmIndex(string llm) =>
        _llmIndex.TryGetValue(llm, out var i) ? i : throw new ArgumentException($"unknown LLM '{llm}'", nameof(llm));

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
        var profile = Profile(_data.Query(queryId));
        Span<float> mean = stackalloc float[3];
        for (var l = 0; l < Llms.Count; l++)
        {
            for (var p = 0; p < 3; p++)
            {
                mean[p] += profile[_kinds + l * 3 + p] / Llms.Count;
            }
        }
        var width = CandidateDimension;
        destination[..(candidates.Count * width)].Clear();
        for (var i = 0; i < candidates.Count; i++)
        {
            WritePhi(profile, candidates[i], mean, 1f, destination.Slice(i * width, width));
        }
    }

    /// <summary>Writes one Response node's features per rating of <paramref name="interaction"/>.</summary>
    public void WriteResponses(Interaction interaction, Span<float> destination)
    {
        var count = interaction.Ratings.Count;
        var profile = Profile(_data.Query(interaction.QueryId));
        var normalized = new double[count];
        var length = new double[count];
        var cost = new double[count];
        var llms = new int[count];
        Span<float> meanPrediction = stackalloc float[3];
        for (var i = 0; i < count; i++)
        {
            llms[i] = LlmIndex(interaction.Ratings[i].Llm);
            normalized[i] = _data.Scale.Normalize(interaction.Ratings[i].Rating);
            if (_data.TryGetOutcome(interaction.QueryId, interaction.Ratings[i].Llm, out var outcome))
            {
                length[i] = Statistics.StandardLogLength(outcome.Response.Length);
                cost[i] = Statistics.StandardLogCost(outcome.CostUsd);
            }
            for (var p = 0; p < 3; p++)
            {
                meanPrediction[p] += profile[_kinds + llms[i] * 3 + p] / count;
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
            WritePhi(profile, llms[i], meanPrediction, (float)centred, row[BaseResponseFeatures..]);
        }
    }

    private void WritePhi(float[] profile, int llm, ReadOnlySpan<float> meanPrediction, float scale, Span<float> phi)
    {
        var l = Llms.Count;
        phi[llm] = scale;
        for (var k = 0; k < _kinds; k++)
        {
            phi[l + llm * _kinds + k] = scale * profile[k];
        }
        for (var p = 0; p < 3; p++)
        {
            phi[l + l * _kinds + p] = scale * (profile[_kinds + llm * 3 + p] - meanPrediction[p]);
        }
    }

    /// <summary>Per query: kind probabilities, then per catalog LLM its predicted (correct, loglength, logcost) as the encoder outputs them.</summary>
    private float[] Profile(QueryInfo query)
    {
        if (_profiles.TryGetValue(query.Id, out var profile))
        {
            return profile;
        }
        profile = new float[_kinds + Llms.Count * 3];
        if (Encoder is FittedQueryEncoder fitted)
        {
            var kinds = fitted.KindProbabilities(query.Text);
            for (var k = 0; k < _kinds; k++)
            {
                profile[k] = (float)kinds[k];
            }
            var vector = QueryVector(query);
            for (var l = 0; l < Llms.Count; l++)
            {
                for (var p = 0; p < 3; p++)
                {
                    var column = _predictionColumns[l][p];
                    profile[_kinds + l * 3 + p] = column < 0 ? 0 : vector[column];
                }
            }
        }
        _profiles[query.Id] = profile;
        return profile;
    }

    /// <summary>GraphBuilder's pooled statistic of one history, as it was: Σ rows × (float)(1 / (n + 3)), turn by turn.</summary>
    public float[] PooledStatistic(IReadOnlyList<Interaction> history)
    {
        var width = ResponseDimension;
        var sum = new float[width];
        var shrink = (float)(1.0 / (history.Count + 3.0));
        foreach (var interaction in history)
        {
            var rows = new float[interaction.Ratings.Count * width];
            WriteResponses(interaction, rows);
            for (var turn = 0; turn < interaction.Ratings.Count; turn++)
            {
                for (var j = 0; j < width; j++)
                {
                    sum[j] += rows[turn * width + j] * shrink;
                }
            }
        }
        return sum;
    }
}
