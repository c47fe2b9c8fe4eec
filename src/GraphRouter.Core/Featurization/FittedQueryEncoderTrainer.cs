using GraphRouter.Core.Datasets;

namespace GraphRouter.Core.Featurization;

/// <summary>Fits <see cref="FittedQueryEncoder"/>s: builds inputs and targets from training prompts only, then ridge, calibration and output scaling.</summary>
internal static class FittedQueryEncoderTrainer
{
    /// <summary>Costs are logged as log(cost + this), so a free answer stays finite.</summary>
    private const double CostFloorUsd = 1e-6;

    public static QueryEncoderFit Fit(PreferenceDataset data, IReadOnlySet<string> trainQueryIds, FittedQueryEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(trainQueryIds);
        var queries = data.Queries.Where(q => trainQueryIds.Contains(q.Id)).ToList();
        var llms = data.Llms.Select(l => l.Name).ToList();
        var targetNames = new List<string>();
        if (options.IncludeOutcomes)
        {
            targetNames.AddRange(llms.Select(l => "correct:" + l));
            targetNames.AddRange(llms.Select(l => "loglength:" + l));
            targetNames.AddRange(llms.Select(l => "logcost:" + l));
        }
        var targets = queries.Select(q =>
        {
            var row = new double[targetNames.Count];
            if (options.IncludeOutcomes)
            {
                for (var m = 0; m < llms.Count; m++)
                {
                    if (data.TryGetOutcome(q.Id, llms[m], out var o))
                    {
                        row[m] = o.Score;
                        row[llms.Count + m] = Math.Log(1 + o.Response.Length);
                        row[2 * llms.Count + m] = Math.Log(CostFloorUsd + Math.Max(0, o.CostUsd));
                    }
                    else
                    {
                        row[m] = row[llms.Count + m] = row[2 * llms.Count + m] = double.NaN;
                    }
                }
            }
            return row;
        }).ToList();
        return Fit(
            queries.Select(q => q.Id).ToList(), queries.Select(q => q.Text).ToList(), queries.Select(q => q.Task).ToList(),
            options.IncludeOutcomes ? llms : [], targetNames, targets, options);
    }

    public static QueryEncoderFit Fit(QualityTable table, IReadOnlySet<string>? trainRowIds, FittedQueryEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = table.Train.Where(r => trainRowIds is null || trainRowIds.Contains(r.Id)).ToList();
        var llms = table.ScoredLlms.ToList();
        if (!options.IncludeOutcomes)
        {
            throw new ArgumentException("a quality table has no request kinds: its encoder needs IncludeOutcomes", nameof(options));
        }
        var targetNames = llms.Select(l => "quality:" + l).ToList();
        var targets = rows.Select(r => llms.Select(l => r.Scores.TryGetValue(l, out var s) ? s : double.NaN).ToArray()).ToList();
        return Fit(rows.Select(r => r.Id).ToList(), rows.Select(r => r.Text).ToList(), null, llms, targetNames, targets, options);
    }

    private static QueryEncoderFit Fit(
        List<string> ids, List<string> texts, List<string>? kindLabels, List<string> llms,
        List<string> outcomeNames, List<double[]> outcomes, FittedQueryEncoderOptions options)
    {
        options.Validate();
        var n = texts.Count;
        if (n < 2 * options.Folds)
        {
            throw new ArgumentException($"fitting needs at least {2 * options.Folds} training prompts, got {n}");
        }

        // Request kinds: a one-hot target per kind, where the data labels at least two.
        var kinds = kindLabels is null ? [] : kindLabels.Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (kinds.Count < 2)
        {
            kinds = [];
        }
        var kindIndex = kinds.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i, StringComparer.Ordinal);
        var labels = new int[n];
        var targetCount = kinds.Count + outcomeNames.Count;
        if (targetCount == 0)
        {
            throw new ArgumentException("nothing to fit: the training prompts carry neither kinds nor outcomes");
        }
        var y = new double[n][];
        for (var i = 0; i < n; i++)
        {
            y[i] = new double[targetCount];
            labels[i] = kinds.Count > 0 && kindIndex.TryGetValue(kindLabels![i], out var k) ? k : -1;
            if (labels[i] >= 0)
            {
                y[i][labels[i]] = 1;
            }
            outcomes[i].CopyTo(y[i], kinds.Count);
        }
        FillMissingWithMeans(y);

        // Inputs: the hashed n-gram bag and standardized text statistics, centered.
        var buckets = options.Buckets;
        var ngrams = new HashedNgramEncoder(buckets);
        var p = buckets + FittedQueryEncoder.TextStatisticCount;
        var stats = new double[n][];
        var x = new double[n][];
        var bag = new float[buckets];
        for (var i = 0; i < n; i++)
        {
            ngrams.Encode(texts[i], bag);
            x[i] = new double[p];
            for (var a = 0; a < buckets; a++)
            {
                x[i][a] = bag[a];
            }
            stats[i] = new double[FittedQueryEncoder.TextStatisticCount];
            FittedQueryEncoder.TextStatistics(texts[i], stats[i]);
        }
        var statMean = new float[FittedQueryEncoder.TextStatisticCount];
        var statStd = new float[FittedQueryEncoder.TextStatisticCount];
        for (var s = 0; s < statMean.Length; s++)
        {
            var (mean, std) = MeanStd(stats.Select(r => r[s]));
            statMean[s] = (float)mean;
            statStd[s] = (float)std;
            for (var i = 0; i < n; i++)
            {
                x[i][buckets + s] = (stats[i][s] - statMean[s]) / statStd[s];
            }
        }
        var inputMean = new double[p];
        foreach (var row in x)
        {
            DenseMath.AddScaled(inputMean, 1.0 / n, row);
        }
        foreach (var row in x)
        {
            DenseMath.AddScaled(row, -1, inputMean);
        }

        var fold = ids.Select(id => (int)(FeatureHasher.Hash(id, (uint)options.Seed) % (uint)options.Folds)).ToArray();
        var ridge = RidgeRegression.Fit(x, y, fold, options.Folds, options.Lambdas);

        // Serving computes bias + Wᵀ·input with float weights: fold the centering into the bias.
        var weights = new float[p * targetCount];
        var bias = new float[targetCount];
        for (var c = 0; c < targetCount; c++)
        {
            var b = ridge.Intercept[c];
            for (var a = 0; a < p; a++)
            {
                var w = (float)ridge.Weights[a][c];
                weights[a * targetCount + c] = w;
                b -= w * inputMean[a];
            }
            bias[c] = (float)b;
        }

        double[] calibration = [];
        var kindAccuracy = double.NaN;
        if (kinds.Count > 0)
        {
            var labelled = Enumerable.Range(0, n).Where(i => labels[i] >= 0).ToArray();
            var scores = labelled.Select(i => ridge.OutOfFold[i].AsSpan(0, kinds.Count).ToArray()).ToArray();
            calibration = SoftmaxCalibrator.Fit(scores, labelled.Select(i => labels[i]).ToArray(), kinds.Count);
            kindAccuracy = labelled.Count(i => ArgMax(ridge.OutOfFold[i].AsSpan(0, kinds.Count)) == labels[i]) / (double)Math.Max(1, labelled.Length);
        }

        var outputNames = kinds.Select(k => "kind:" + k).Concat(outcomeNames).Concat(["text:logchars", "text:logtokens"]).ToList();
        var report = new FittedQueryEncoderReport
        {
            TrainingPrompts = n,
            Targets = kinds.Select(k => "kind:" + k).Concat(outcomeNames).ToList(),
            Lambdas = ridge.Lambdas,
            OutOfFoldR2 = ridge.OutOfFoldR2,
            KindOutOfFoldAccuracy = kindAccuracy,
        };
        // Scale each output in units of what it predicts: (prediction - mean of the truth) / spread of the truth
        // over the training prompts. A target the text barely predicts stays near zero instead of having its
        // noise blown up to unit variance.
        var outMean = new float[outputNames.Count];
        var outStd = new float[outputNames.Count];
        for (var c = 0; c < targetCount; c++)
        {
            var (mean, std) = MeanStd(y.Select(r => r[c]));
            outMean[c] = (float)mean;
            outStd[c] = (float)std;
        }
        for (var s = 0; s < FittedQueryEncoder.TextStatisticCount; s++)
        {
            var (mean, std) = MeanStd(stats.Select(r => r[s]));
            outMean[targetCount + s] = (float)mean;
            outStd[targetCount + s] = (float)std;
        }
        var encoder = new FittedQueryEncoder(buckets, kinds, llms, outputNames, statMean, statStd, weights, bias, calibration, outMean, outStd, report);
        var outOfFold = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var vector = new float[encoder.Dimension];
            encoder.Compose(ridge.OutOfFold[i], stats[i], vector);
            outOfFold[ids[i]] = vector;
        }
        return new QueryEncoderFit { Encoder = encoder, OutOfFoldVectors = outOfFold };
    }

    private static (double Mean, double Std) MeanStd(IEnumerable<double> values)
    {
        var list = values.ToList();
        var mean = list.Average();
        var std = Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, list.Count));
        return (mean, std > 1e-6 ? std : 1);
    }

    private static void FillMissingWithMeans(double[][] y)
    {
        for (var c = 0; c < y[0].Length; c++)
        {
            var known = y.Select(r => r[c]).Where(double.IsFinite).ToList();
            var mean = known.Count > 0 ? known.Average() : 0;
            foreach (var row in y)
            {
                if (!double.IsFinite(row[c]))
                {
                    row[c] = mean;
                }
            }
        }
    }

    private static int ArgMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }
}
