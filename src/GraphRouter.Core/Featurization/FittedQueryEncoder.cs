using System.Buffers;
using GraphRouter.Core.Datasets;

namespace GraphRouter.Core.Featurization;

/// <summary>
/// A query encoder fitted on training prompts: hashed word/character n-grams (<see cref="HashedNgramEncoder"/>)
/// plus text statistics, mapped by multi-output ridge regression to what the training prompts revealed:
/// the kind of request (softmax probabilities), and for each LLM whether it tends to be right, how long
/// and how costly its answer tends to be. The output is that low-dimensional profile, standardized:
/// <c>[kind probabilities | predicted correctness per LLM | predicted log length per LLM | predicted log
/// cost per LLM | log characters, log tokens]</c>, parts absent where the data has no such target.
/// </summary>
/// <remarks>
/// Plain C#, no libtorch and no downloaded weights. Parameters round-trip through
/// <see cref="Save(Stream)"/> / <see cref="Load(Stream)"/> bit for bit (format in ENCODERS.md).
/// Thread-safe: encoding reads only immutable parameters.
/// </remarks>
public sealed class FittedQueryEncoder : IQueryEncoder
{
    internal const int TextStatisticCount = 2;

    private readonly HashedNgramEncoder _ngrams;
    private readonly int _targets;
    private readonly float[] _statMean;
    private readonly float[] _statStd;
    private readonly float[] _weights;   // (buckets + statistics) × targets, row-major
    private readonly float[] _bias;      // targets
    private readonly double[] _calibration; // kinds × (kinds + 1), row-major
    private readonly float[] _outMean;
    private readonly float[] _outStd;

    internal FittedQueryEncoder(
        int buckets, IReadOnlyList<string> kinds, IReadOnlyList<string> llms, IReadOnlyList<string> outputNames,
        float[] statMean, float[] statStd, float[] weights, float[] bias, double[] calibration,
        float[] outMean, float[] outStd, FittedQueryEncoderReport report)
    {
        _ngrams = new HashedNgramEncoder(buckets);
        Kinds = kinds;
        Llms = llms;
        OutputNames = outputNames;
        _targets = bias.Length;
        _statMean = statMean;
        _statStd = statStd;
        _weights = weights;
        _bias = bias;
        _calibration = calibration;
        _outMean = outMean;
        _outStd = outStd;
        Report = report;
        if (weights.Length != (buckets + TextStatisticCount) * _targets || outMean.Length != outputNames.Count || outStd.Length != outputNames.Count
            || calibration.Length != kinds.Count * (kinds.Count + 1) || statMean.Length != TextStatisticCount || statStd.Length != TextStatisticCount)
        {
            throw new ArgumentException("encoder parameters have inconsistent sizes");
        }
    }

    public string Name => $"fitted-ridge-ngrams-{Buckets}-d{Dimension}";

    public int Dimension => OutputNames.Count;

    public int Buckets => _ngrams.Dimension;

    /// <summary>Request kinds the encoder tells apart (the training data's task labels), in output order.</summary>
    public IReadOnlyList<string> Kinds { get; }

    /// <summary>LLMs whose outcomes the encoder predicts, in output order.</summary>
    public IReadOnlyList<string> Llms { get; }

    /// <summary>One name per output dimension: <c>kind:K</c>, <c>correct:LLM</c>, <c>loglength:LLM</c>, <c>logcost:LLM</c>, <c>text:logchars</c>, <c>text:logtokens</c>.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    public FittedQueryEncoderReport Report { get; }

    /// <summary>Fits on a routerbench-style dataset's training prompts: kinds from task labels, per-LLM correctness, log(1 + answer length) and log cost.</summary>
    public static FittedQueryEncoder Fit(PreferenceDataset data, IReadOnlySet<string> trainQueryIds, FittedQueryEncoderOptions? options = null) =>
        FitWithOutOfFoldVectors(data, trainQueryIds, options).Encoder;

    /// <summary>
    /// As <see cref="Fit(PreferenceDataset, IReadOnlySet{string}, FittedQueryEncoderOptions?)"/>, also returning each
    /// training prompt's out-of-fold vector (see <see cref="QueryEncoderFit.OutOfFoldVectors"/>).
    /// </summary>
    public static QueryEncoderFit FitWithOutOfFoldVectors(PreferenceDataset data, IReadOnlySet<string> trainQueryIds, FittedQueryEncoderOptions? options = null) =>
        FittedQueryEncoderTrainer.Fit(data, trainQueryIds, options ?? new FittedQueryEncoderOptions());

    /// <summary>
    /// Fits on a quality table's training rows (all of <see cref="QualityTable.Train"/>, or those in
    /// <paramref name="trainRowIds"/>): per-LLM quality only; no kinds, lengths or costs are known there.
    /// </summary>
    public static FittedQueryEncoder Fit(QualityTable table, IReadOnlySet<string>? trainRowIds = null, FittedQueryEncoderOptions? options = null) =>
        FitWithOutOfFoldVectors(table, trainRowIds, options).Encoder;

    /// <summary>As <see cref="Fit(QualityTable, IReadOnlySet{string}?, FittedQueryEncoderOptions?)"/>, also returning each training row's out-of-fold vector.</summary>
    public static QueryEncoderFit FitWithOutOfFoldVectors(QualityTable table, IReadOnlySet<string>? trainRowIds = null, FittedQueryEncoderOptions? options = null) =>
        FittedQueryEncoderTrainer.Fit(table, trainRowIds, options ?? new FittedQueryEncoderOptions());

    public void Encode(string text, Span<float> destination) => Encode(text, destination, []);

    /// <summary>
    /// <see cref="Encode(string, Span{float})"/> that also writes the request-kind probabilities (the values
    /// <see cref="KindProbabilities"/> returns, bit for bit) into <paramref name="kindProbabilities"/> when it
    /// is not empty: serving needs both per query and this predicts once instead of twice.
    /// </summary>
    public void Encode(string text, Span<float> destination, Span<double> kindProbabilities)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (destination.Length < Dimension)
        {
            throw new ArgumentException($"destination holds {destination.Length} values, needs {Dimension}", nameof(destination));
        }
        if (!kindProbabilities.IsEmpty && kindProbabilities.Length < Kinds.Count)
        {
            throw new ArgumentException($"kind probabilities hold {kindProbabilities.Length} values, needs {Kinds.Count}", nameof(kindProbabilities));
        }
        var bag = ArrayPool<float>.Shared.Rent(Buckets);
        try
        {
            _ngrams.Encode(text, bag);
            Span<double> stats = stackalloc double[TextStatisticCount];
            TextStatistics(text, stats);
            Span<double> predictions = stackalloc double[_targets];
            Predict(bag.AsSpan(0, Buckets), stats, predictions);
            Compose(predictions, stats, destination, kindProbabilities);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(bag);
        }
    }

    /// <summary>The output vector from raw predictions (kind scores first) and text statistics: calibrated kind probabilities, then scaled.</summary>
    internal void Compose(ReadOnlySpan<double> predictions, ReadOnlySpan<double> stats, Span<float> destination) =>
        Compose(predictions, stats, destination, []);

    private void Compose(ReadOnlySpan<double> predictions, ReadOnlySpan<double> stats, Span<float> destination, Span<double> kindProbabilities)
    {
        var k = Kinds.Count;
        var o = 0;
        if (k > 0)
        {
            Span<double> probabilities = stackalloc double[k];
            SoftmaxCalibrator.Probabilities(_calibration, predictions[..k], k, probabilities);
            if (!kindProbabilities.IsEmpty)
            {
                probabilities.CopyTo(kindProbabilities);
            }
            for (var c = 0; c < k; c++)
            {
                destination[o] = Standardize(probabilities[c], o);
                o++;
            }
        }
        for (var t = k; t < _targets; t++)
        {
            destination[o] = Standardize(predictions[t], o);
            o++;
        }
        for (var s = 0; s < TextStatisticCount; s++)
        {
            destination[o] = Standardize(stats[s], o);
            o++;
        }
    }

    /// <summary>The unstandardized predictions: kind scores, then per-LLM correctness, log length and log cost, on the targets' own scales.</summary>
    public double[] PredictTargets(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bag = new float[Buckets];
        _ngrams.Encode(text, bag);
        var stats = new double[TextStatisticCount];
        TextStatistics(text, stats);
        var predictions = new double[_targets];
        Predict(bag, stats, predictions);
        return predictions;
    }

    /// <summary>Request-kind probabilities (in <see cref="Kinds"/> order); empty where the encoder knows no kinds.</summary>
    public double[] KindProbabilities(string text)
    {
        var predictions = PredictTargets(text);
        var probabilities = new double[Kinds.Count];
        if (Kinds.Count > 0)
        {
            SoftmaxCalibrator.Probabilities(_calibration, predictions.AsSpan(0, Kinds.Count), Kinds.Count, probabilities);
        }
        return probabilities;
    }

    public void Save(string path)
    {
        using var stream = File.Create(path);
        Save(stream);
    }

    public void Save(Stream stream) => FittedQueryEncoderFormat.Write(stream, this);

    public static FittedQueryEncoder Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    public static FittedQueryEncoder Load(Stream stream) => FittedQueryEncoderFormat.Read(stream);

    /// <summary>log(1 + characters) and log(1 + tokens).</summary>
    internal static void TextStatistics(string text, Span<double> destination)
    {
        destination[0] = Math.Log(1 + text.Length);
        destination[1] = Math.Log(1 + CountTokens(text));
    }

    private static int CountTokens(string text)
    {
        // The same token boundaries as TextTokenizer, without building the strings.
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (!inWord)
                {
                    count++;
                    inWord = true;
                }
                continue;
            }
            inWord = false;
            if (!char.IsWhiteSpace(c))
            {
                count++;
            }
        }
        return count;
    }

    private void Predict(ReadOnlySpan<float> bag, ReadOnlySpan<double> stats, Span<double> predictions)
    {
        var t = _targets;
        for (var c = 0; c < t; c++)
        {
            predictions[c] = _bias[c];
        }
        for (var a = 0; a < bag.Length; a++)
        {
            var v = bag[a];
            if (v != 0)
            {
                var row = _weights.AsSpan(a * t, t);
                for (var c = 0; c < t; c++)
                {
                    predictions[c] += v * row[c];
                }
            }
        }
        for (var s = 0; s < TextStatisticCount; s++)
        {
            var v = (stats[s] - _statMean[s]) / _statStd[s];
            var row = _weights.AsSpan((bag.Length + s) * t, t);
            for (var c = 0; c < t; c++)
            {
                predictions[c] += v * row[c];
            }
        }
    }

    private float Standardize(double value, int output) => (float)((value - _outMean[output]) / _outStd[output]);

    internal (float[] StatMean, float[] StatStd, float[] Weights, float[] Bias, double[] Calibration, float[] OutMean, float[] OutStd) Parameters =>
        (_statMean, _statStd, _weights, _bias, _calibration, _outMean, _outStd);
}
