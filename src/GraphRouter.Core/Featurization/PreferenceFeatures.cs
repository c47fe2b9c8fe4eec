using GraphRouter.Core.Domain;

namespace GraphRouter.Core.Featurization;

/// <summary>
/// The feature math of GraphRouter's model, shared by training (which builds graphs from the dataset) and
/// serving (which builds them from the store's history), so both compute the same numbers from the same
/// plain inputs. Torch-free and allocation-light; thread-safe (it reads only immutable state).
/// <para>
/// Query profile: the query's request-kind probabilities, then per catalog LLM its predicted correctness,
/// log answer length and log cost as the fitted encoder outputs them (the encoder's own columns; zeros for
/// an encoder without kinds or predictions).
/// </para>
/// <para>
/// φ(llm, q), the Bradley-Terry feature map of a (candidate, query): onehot(llm), onehot(llm) ⊗ the query's
/// kind probabilities, and the LLM's three predictions relative to a reference set's mean (the comparison's
/// LLMs in a history, the whole catalog for a candidate).
/// </para>
/// <para>
/// Response row = [normalized rating, rating centred within its comparison c, standardized log length and
/// log cost of the realized answer, c × (length − comparison mean), c × (cost − comparison mean),
/// c × φ(llm, q)]. For a user whose score is u·φ, the gradient of the log-likelihood at the prior is the sum
/// of c × φ over the user's comparisons, so pooling these rows over a history estimates the user's taste:
/// the pooled statistic is Σ rows / (interactions + <see cref="PriorCount"/>).
/// </para>
/// </summary>
public sealed class PreferenceFeatures
{
    /// <summary>Pseudo-interactions of the pooled statistic's shrinkage towards zero.</summary>
    public const double PriorCount = 3;

    /// <summary>Response row features before φ: rating, centred rating, length, cost and their two interactions.</summary>
    public const int BaseResponseFeatures = 6;

    /// <summary>Per catalog LLM, the profile holds these three predictions in this order.</summary>
    public const int PredictionsPerLlm = 3;

    private static readonly string[] PredictionPrefixes = ["correct:", "loglength:", "logcost:"];

    private readonly Dictionary<string, int> _llmIndex;
    private readonly int[] _predictionColumns; // [llm * 3 + p]: encoder output column, -1 when absent
    private readonly FittedQueryEncoder? _fitted;

    public PreferenceFeatures(IQueryEncoder encoder, IReadOnlyList<string> llms, ResponseStatistics statistics, RatingScale scale)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(llms);
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(scale);
        if (llms.Count == 0)
        {
            throw new ArgumentException("the LLM catalog is empty", nameof(llms));
        }
        Encoder = encoder;
        Llms = [.. llms];
        Statistics = statistics;
        Scale = scale;
        _llmIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Llms.Count; i++)
        {
            if (!_llmIndex.TryAdd(Llms[i], i))
            {
                throw new ArgumentException($"LLM '{Llms[i]}' is listed twice in the catalog", nameof(llms));
            }
        }
        _predictionColumns = new int[Llms.Count * PredictionsPerLlm];
        Array.Fill(_predictionColumns, -1);
        _fitted = encoder as FittedQueryEncoder;
        if (_fitted is not null)
        {
            KindCount = _fitted.Kinds.Count;
            var columns = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var c = 0; c < _fitted.OutputNames.Count; c++)
            {
                columns[_fitted.OutputNames[c]] = c;
            }
            for (var l = 0; l < Llms.Count; l++)
            {
                for (var p = 0; p < PredictionsPerLlm; p++)
                {
                    _predictionColumns[l * PredictionsPerLlm + p] = columns.TryGetValue(PredictionPrefixes[p] + Llms[l], out var column) ? column : -1;
                }
            }
        }
    }

    public IQueryEncoder Encoder { get; }

    /// <summary>The LLM catalog in the model's index order.</summary>
    public IReadOnlyList<string> Llms { get; }

    public ResponseStatistics Statistics { get; }

    /// <summary>The declared rating scale ratings are normalized on.</summary>
    public RatingScale Scale { get; }

    /// <summary>Request kinds the encoder tells apart (0 for an encoder without kinds).</summary>
    public int KindCount { get; }

    public int QueryDimension => Encoder.Dimension;

    /// <summary>Size of a query profile: kinds + 3 predictions per catalog LLM.</summary>
    public int ProfileDimension => KindCount + Llms.Count * PredictionsPerLlm;

    /// <summary>Size of φ(llm, q): L one-hot + L × kinds + 3 predictions.</summary>
    public int CandidateDimension => Llms.Count + Llms.Count * KindCount + PredictionsPerLlm;

    /// <summary>Features per Response node: 6 + <see cref="CandidateDimension"/>.</summary>
    public int ResponseDimension => BaseResponseFeatures + CandidateDimension;

    public int LlmIndex(string llm) =>
        TryGetLlmIndex(llm, out var i) ? i : throw new ArgumentException($"unknown LLM '{llm}'", nameof(llm));

    public bool TryGetLlmIndex(string llm, out int index)
    {
        ArgumentNullException.ThrowIfNull(llm);
        return _llmIndex.TryGetValue(llm, out index);
    }

    /// <summary>The encoder's request-kind probabilities for <paramref name="text"/>; empty for an encoder without kinds.</summary>
    public double[] KindProbabilities(string text) => _fitted is null ? [] : _fitted.KindProbabilities(text);

    /// <summary>
    /// Encodes a prompt for serving: the encoder's vector into <paramref name="vector"/> (<see cref="QueryDimension"/>)
    /// and its profile into <paramref name="profile"/> (<see cref="ProfileDimension"/>), predicting once.
    /// </summary>
    public void EncodeQuery(string text, Span<float> vector, Span<float> profile)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_fitted is null)
        {
            Encoder.Encode(text, vector);
            WriteProfile([], vector, profile);
            return;
        }
        Span<double> kinds = stackalloc double[KindCount];
        _fitted.Encode(text, vector, kinds);
        WriteProfile(kinds, vector, profile);
    }

    /// <summary>
    /// Writes a query's profile from its kind probabilities (<see cref="KindProbabilities"/>) and the query vector
    /// whose prediction columns it copies (training passes a training prompt's out-of-fold vector here).
    /// </summary>
    public void WriteProfile(ReadOnlySpan<double> kindProbabilities, ReadOnlySpan<float> vector, Span<float> profile)
    {
        var target = profile[..ProfileDimension];
        target.Clear();
        if (_fitted is null)
        {
            return;
        }
        for (var k = 0; k < KindCount; k++)
        {
            target[k] = (float)kindProbabilities[k];
        }
        for (var i = 0; i < _predictionColumns.Length; i++)
        {
            var column = _predictionColumns[i];
            target[KindCount + i] = column < 0 ? 0 : vector[column];
        }
    }

    /// <summary>Writes φ(llm, q) of each candidate (relative to the whole catalog) into [candidates, <see cref="CandidateDimension"/>].</summary>
    public void WriteCandidates(ReadOnlySpan<float> profile, ReadOnlySpan<int> candidates, Span<float> destination)
    {
        Span<float> mean = stackalloc float[PredictionsPerLlm];
        var llmCount = Llms.Count;
        for (var l = 0; l < llmCount; l++)
        {
            for (var p = 0; p < PredictionsPerLlm; p++)
            {
                mean[p] += profile[KindCount + l * PredictionsPerLlm + p] / llmCount;
            }
        }
        var width = CandidateDimension;
        destination[..(candidates.Length * width)].Clear();
        for (var i = 0; i < candidates.Length; i++)
        {
            WritePhi(profile, candidates[i], mean, 1f, destination.Slice(i * width, width));
        }
    }

    /// <summary>Writes one Response row per rated response of one interaction into [responses, <see cref="ResponseDimension"/>].</summary>
    public void WriteResponses(ReadOnlySpan<float> profile, ReadOnlySpan<ResponseObservation> responses, Span<float> destination)
    {
        var count = responses.Length;
        if (count == 0)
        {
            return;
        }
        Span<double> normalized = count <= 64 ? stackalloc double[count] : new double[count];
        Span<double> length = count <= 64 ? stackalloc double[count] : new double[count];
        Span<double> cost = count <= 64 ? stackalloc double[count] : new double[count];
        Span<float> meanPrediction = stackalloc float[PredictionsPerLlm];
        length.Clear();
        cost.Clear();
        meanPrediction.Clear();
        for (var i = 0; i < count; i++)
        {
            var response = responses[i];
            if ((uint)response.Llm >= (uint)Llms.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(responses), response.Llm, $"LLM index outside the catalog of {Llms.Count}");
            }
            normalized[i] = Scale.Normalize(response.Rating);
            if (response.Characters is { } characters)
            {
                length[i] = Statistics.StandardLogLength(characters);
            }
            if (response.CostUsd is { } costUsd)
            {
                cost[i] = Statistics.StandardLogCost(costUsd);
            }
            for (var p = 0; p < PredictionsPerLlm; p++)
            {
                meanPrediction[p] += profile[KindCount + response.Llm * PredictionsPerLlm + p] / count;
            }
        }
        // Sequential sums divided by the count: what Enumerable.Average does for doubles, so training's numbers do not move.
        var (meanRating, meanLength, meanCost) = (Mean(normalized), Mean(length), Mean(cost));
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
            WritePhi(profile, responses[i].Llm, meanPrediction, (float)centred, row[BaseResponseFeatures..]);
        }
    }

    /// <summary>The weight of each Response row in a history's pooled statistic: 1 / (interactions + <see cref="PriorCount"/>).</summary>
    public static float PoolingWeight(int interactions) => (float)(1.0 / (interactions + PriorCount));

    /// <summary>
    /// Adds Response rows ([rows, width], row-major) times <paramref name="weight"/> to <paramref name="statistic"/>
    /// ([width]), row by row in order: called over a history's interactions in order, it gives the pooled statistic.
    /// </summary>
    public static void AddToPooledStatistic(ReadOnlySpan<float> rows, float weight, Span<float> statistic)
    {
        var width = statistic.Length;
        if (width == 0 || rows.Length % width != 0)
        {
            throw new ArgumentException($"{rows.Length} values are not whole rows of {width}", nameof(rows));
        }
        for (var start = 0; start < rows.Length; start += width)
        {
            var row = rows.Slice(start, width);
            for (var j = 0; j < width; j++)
            {
                statistic[j] += row[j] * weight;
            }
        }
    }

    private void WritePhi(ReadOnlySpan<float> profile, int llm, ReadOnlySpan<float> meanPrediction, float scale, Span<float> phi)
    {
        var l = Llms.Count;
        phi[llm] = scale;
        for (var k = 0; k < KindCount; k++)
        {
            phi[l + llm * KindCount + k] = scale * profile[k];
        }
        for (var p = 0; p < PredictionsPerLlm; p++)
        {
            phi[l + l * KindCount + p] = scale * (profile[KindCount + llm * PredictionsPerLlm + p] - meanPrediction[p]);
        }
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }
        return sum / values.Length;
    }
}
