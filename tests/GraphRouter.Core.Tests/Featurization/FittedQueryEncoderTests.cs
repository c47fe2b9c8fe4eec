using GraphRouter.Core.Datasets;
using GraphRouter.Core.Domain;
using GraphRouter.Core.Featurization;

namespace GraphRouter.Core.Tests.Featurization;

public sealed class FittedQueryEncoderTests(RouterBenchEncoderFixture fixture) : IClassFixture<RouterBenchEncoderFixture>
{
    private static readonly string[] OddTextList =
    [
        "",
        " \t\n ",
        "?",
        "数据科学 和 机器学习: どの モデル が 正しい? Ελληνικά עברית العربية \ud83d\ude00\ud83d\udc4d",
        "lone surrogates \ud800 and \udc00 and reversed \udc00\ud800",
        "\0\u0001\u001f control \u200b zero-width \ufeff bom",
        new string('a', 200_000),
        string.Concat(Enumerable.Repeat("def f(x):\n    return [i ** 2 for i in range(x)]  # ", 5_000)),
    ];

    public static TheoryData<string> OddTexts => new(OddTextList);

    [Fact]
    public void Outputs_are_the_kind_profile_per_llm_outcomes_and_text_statistics()
    {
        var encoder = fixture.Encoder;
        var llms = fixture.Data.Llms.Select(l => l.Name).ToList();

        Assert.Equal(["arc-challenge", "mbpp", "winogrande"], encoder.Kinds);
        Assert.Equal(llms, encoder.Llms);
        Assert.Equal(3 + 3 * llms.Count + 2, encoder.Dimension);
        Assert.Equal(encoder.Dimension, encoder.OutputNames.Count);
        Assert.Equal("kind:arc-challenge", encoder.OutputNames[0]);
        Assert.Equal("correct:" + llms[0], encoder.OutputNames[3]);
        Assert.Equal("logcost:" + llms[^1], encoder.OutputNames[^3]);
        Assert.Equal(["text:logchars", "text:logtokens"], encoder.OutputNames.TakeLast(2));
        Assert.Equal($"fitted-ridge-ngrams-512-d{encoder.Dimension}", encoder.Name);
        Assert.Equal(fixture.TrainIds.Count, encoder.Report.TrainingPrompts);
    }

    [Fact]
    public void Encoding_with_kind_probabilities_gives_the_vector_and_the_probabilities_of_the_separate_calls_bit_for_bit()
    {
        var encoder = fixture.Encoder;
        var vector = new float[encoder.Dimension];
        var kinds = new double[encoder.Kinds.Count];
        foreach (var text in fixture.HeldOut.Take(50).Select(q => q.Text).Concat(OddTextList))
        {
            encoder.Encode(text, vector, kinds);
            Assert.Equal(encoder.Encode(text), vector);
            Assert.Equal(encoder.KindProbabilities(text), kinds);
        }
        Assert.Throws<ArgumentException>(() => encoder.Encode("x", vector, new double[encoder.Kinds.Count - 1]));
    }

    [Fact]
    public void Held_out_prompts_kind_is_predicted_from_text_alone()
    {
        var encoder = fixture.Encoder;

        var correct = fixture.HeldOut.Count(q =>
        {
            var p = encoder.KindProbabilities(q.Text);
            Assert.Equal(1, p.Sum(), 9);
            return encoder.Kinds[Array.IndexOf(p, p.Max())] == q.Task;
        });

        // Measured: 1.000 on these held-out prompts (and on the evaluation split's test prompts).
        Assert.True(correct >= 0.97 * fixture.HeldOut.Count, $"kind accuracy {correct}/{fixture.HeldOut.Count}");
    }

    [Fact]
    public void Held_out_predicted_outcomes_follow_the_truth()
    {
        var encoder = fixture.Encoder;
        var llms = encoder.Llms;
        var k = encoder.Kinds.Count;
        var predictions = fixture.HeldOut.Select(q => encoder.PredictTargets(q.Text)).ToList();

        var correctness = llms.Select((llm, m) => Pearson(
            fixture.HeldOut.Select(q => fixture.Data.Outcome(q.Id, llm).Score),
            predictions.Select(p => p[k + m]))).ToList();
        var length = llms.Select((llm, m) => Pearson(
            fixture.HeldOut.Select(q => Math.Log(1 + fixture.Data.Outcome(q.Id, llm).Response.Length)),
            predictions.Select(p => p[k + llms.Count + m]))).ToList();
        var cost = llms.Select((llm, m) => Pearson(
            fixture.HeldOut.Select(q => Math.Log(1e-6 + fixture.Data.Outcome(q.Id, llm).CostUsd)),
            predictions.Select(p => p[k + 2 * llms.Count + m]))).ToList();

        // Correctness is mostly not in the text (measured mean r ≈ 0.27); length and cost are (r ≈ 0.99, 0.87).
        Assert.True(correctness.Average() > 0.15, $"mean correctness r = {correctness.Average():F3}");
        Assert.True(correctness.Count(r => r > 0) >= llms.Count - 1, "correctness r: " + string.Join(", ", correctness.Select(r => r.ToString("F2"))));
        Assert.True(length.Min() > 0.9, $"min length r = {length.Min():F3}");
        Assert.True(cost.Average() > 0.75, $"mean cost r = {cost.Average():F3}");
    }

    [Fact]
    public void Out_of_fold_vectors_carry_held_out_noise_not_in_sample_fit()
    {
        var encoder = fixture.Encoder;
        var oof = fixture.Fit.OutOfFoldVectors;
        var train = fixture.Data.Queries.Where(q => fixture.TrainIds.Contains(q.Id)).ToList();
        var k = encoder.Kinds.Count;

        Assert.Equal(fixture.TrainIds.Order(StringComparer.Ordinal), oof.Keys.Order(StringComparer.Ordinal));
        Assert.All(oof.Values, v => Assert.True(v.Length == encoder.Dimension && v.All(float.IsFinite)));
        Assert.True(train.Count(q => encoder.Kinds[Array.IndexOf(oof[q.Id], oof[q.Id][..k].Max())] == q.Task) >= 0.97 * train.Count);
        // Text statistics are exact, so they match the encoder's own.
        Assert.Equal(encoder.Encode(train[0].Text)[^2..], oof[train[0].Id][^2..]);

        var inSample = train.Select(q => encoder.Encode(q.Text)).ToList();
        double MeanCorrectnessR(IReadOnlyList<float[]> vectors) => encoder.Llms.Select((llm, m) => Pearson(
            train.Select(q => fixture.Data.Outcome(q.Id, llm).Score), vectors.Select(v => (double)v[k + m]))).Average();
        var outOfFold = MeanCorrectnessR(train.Select(q => oof[q.Id]).ToList());
        var fitted = MeanCorrectnessR(inSample);
        Assert.True(outOfFold > 0 && outOfFold < fitted, $"out-of-fold r {outOfFold:F3}, in-sample r {fitted:F3}");
    }

    [Fact]
    public void Fitting_is_deterministic()
    {
        var again = FittedQueryEncoder.Fit(fixture.Data, fixture.TrainIds);

        foreach (var q in fixture.HeldOut.Take(50))
        {
            Assert.Equal(fixture.Encoder.Encode(q.Text), again.Encode(q.Text));
        }
        Assert.Equal(fixture.Encoder.Report.Lambdas, again.Report.Lambdas);
        var train = fixture.Data.Queries.First(q => fixture.TrainIds.Contains(q.Id));
        Assert.Equal(fixture.Encoder.Encode(train.Text), again.Encode(train.Text));
    }

    [Fact]
    public void Held_out_prompts_outcomes_never_reach_the_fit()
    {
        // Flip every held-out prompt's correctness and inflate its cost and length: the encoder must not change.
        var d = fixture.Data;
        var altered = d.Outcomes.Select(o => RouterBenchEncoderFixture.IsHeldOut(o.QueryId)
            ? o with { Score = 1 - o.Score, CostUsd = o.CostUsd * 100 + 1, Response = o.Response + new string('!', 5000) }
            : o).ToList();
        var tasks = d.Queries.Select(q => RouterBenchEncoderFixture.IsHeldOut(q.Id) ? q with { Task = "mbpp" } : q).ToList();
        var tampered = new PreferenceDataset(d.Name, d.Version, d.Scale, d.Llms, d.Tasks, tasks, altered, d.Interactions);

        var encoder = FittedQueryEncoder.Fit(tampered, fixture.TrainIds);

        foreach (var q in fixture.HeldOut.Take(50))
        {
            Assert.Equal(fixture.Encoder.Encode(q.Text), encoder.Encode(q.Text));
        }
    }

    [Fact]
    public void Saved_and_loaded_encoder_gives_identical_vectors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"encoder-{Guid.NewGuid():N}.bin");
        try
        {
            fixture.Encoder.Save(path);
            var loaded = FittedQueryEncoder.Load(path);

            Assert.Equal("GRQE"u8.ToArray(), File.ReadAllBytes(path)[..4]);
            Assert.Equal(fixture.Encoder.Name, loaded.Name);
            Assert.Equal(fixture.Encoder.OutputNames, loaded.OutputNames);
            Assert.Equal(fixture.Encoder.Kinds, loaded.Kinds);
            Assert.Equal(fixture.Encoder.Report.Lambdas, loaded.Report.Lambdas);
            Assert.Equal(fixture.Encoder.Report.OutOfFoldR2, loaded.Report.OutOfFoldR2);
            foreach (var text in fixture.HeldOut.Take(100).Select(q => q.Text).Concat(OddTextList))
            {
                Assert.Equal(fixture.Encoder.Encode(text), loaded.Encode(text));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Damaged_files_are_refused_with_a_clear_error()
    {
        using var saved = new MemoryStream();
        fixture.Encoder.Save(saved);
        var bytes = saved.ToArray();

        var truncated = bytes[..(bytes.Length / 2)];
        var wrongMagic = (byte[])bytes.Clone();
        wrongMagic[0] = (byte)'X';
        var futureVersion = (byte[])bytes.Clone();
        BitConverter.GetBytes(99).CopyTo(futureVersion, 4);

        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => FittedQueryEncoder.Load(new MemoryStream(truncated))).Message);
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => FittedQueryEncoder.Load(new MemoryStream(wrongMagic))).Message);
        Assert.Contains("version 99", Assert.Throws<InvalidDataException>(() => FittedQueryEncoder.Load(new MemoryStream(futureVersion))).Message);
    }

    [Theory]
    [MemberData(nameof(OddTexts))]
    public void Odd_input_gives_a_finite_vector_of_the_full_dimension(string text)
    {
        var vector = new float[fixture.Encoder.Dimension + 3];
        vector.AsSpan().Fill(float.NaN);

        fixture.Encoder.Encode(text, vector);

        Assert.All(vector[..fixture.Encoder.Dimension], v => Assert.True(float.IsFinite(v), $"non-finite output for input of length {text.Length}"));
        Assert.All(vector[fixture.Encoder.Dimension..], v => Assert.True(float.IsNaN(v), "wrote past the dimension"));
    }

    [Fact]
    public void Encoding_from_many_threads_equals_encoding_on_one()
    {
        var texts = fixture.HeldOut.Take(64).Select(q => q.Text).ToList();
        var sequential = texts.Select(fixture.Encoder.Encode).ToList();

        var parallel = new float[texts.Count][];
        Parallel.For(0, texts.Count, i => parallel[i] = fixture.Encoder.Encode(texts[i]));

        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void Bad_options_and_short_destinations_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            FittedQueryEncoder.Fit(fixture.Data, fixture.TrainIds, new FittedQueryEncoderOptions { Buckets = 4, Folds = 1, Lambdas = [] }));

        Assert.Contains("Buckets", error.Message);
        Assert.Contains("Folds", error.Message);
        Assert.Contains("Lambdas", error.Message);
        Assert.Throws<ArgumentException>(() => fixture.Encoder.Encode("text", new float[fixture.Encoder.Dimension - 1]));
        Assert.Throws<ArgumentException>(() => FittedQueryEncoder.Fit(fixture.Data, new HashSet<string>(["rb-none"])));
    }

    internal static double Pearson(IEnumerable<double> a, IEnumerable<double> b)
    {
        var x = a.ToArray();
        var y = b.ToArray();
        var mx = x.Average();
        var my = y.Average();
        var num = x.Zip(y).Sum(t => (t.First - mx) * (t.Second - my));
        var den = Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
        return den > 0 ? num / den : 0;
    }
}
