using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using GraphRouter.Core.Domain;
using GraphRouter.Core.Featurization;
using GraphRouter.Routing.Costs;
using GraphRouter.Routing.Policies;
using GraphRouter.Storage.History;
using Microsoft.ML.OnnxRuntime;

namespace GraphRouter.Serving.Runtime;

/// <summary>
/// One loaded policy, run with ONNX Runtime only (no libtorch): the user encoder over a bounded history, the
/// scorer over (user, query, candidates), the query encoder and the featurization training used (Core's
/// <see cref="PreferenceFeatures"/>), the cost model. Immutable after <see cref="Load"/>; every method is safe
/// for concurrent callers (ONNX Runtime sessions run concurrently, each call uses its own buffers).
/// <para>
/// <see cref="Load"/> refuses anything that could serve wrong numbers: failed checksums or unlisted files
/// (<see cref="PolicyLoader.Verify"/>), a missing or unreadable file, graphs whose inputs and outputs do not
/// have the shapes <c>runtime.json</c> describes, and a parity sample (<see cref="ParitySample"/>) that the
/// graphs do not reproduce within its tolerance.
/// </para>
/// </summary>
public sealed class PolicyRuntime : IDisposable
{
    private static readonly string[] UserEncoderInputs =
        [PolicyGraphs.QueryVectors, PolicyGraphs.TurnQueries, PolicyGraphs.TurnLlms, PolicyGraphs.ResponseFeatures, PolicyGraphs.UserStatistic];
    private static readonly string[] UserEncoderOutputs = [PolicyGraphs.UserToken];
    private static readonly string[] ScorerInputs =
        [PolicyGraphs.ScorerUsers, PolicyGraphs.ScorerQueries, PolicyGraphs.Candidates, PolicyGraphs.CandidateFeatures];
    private static readonly string[] ScorerOutputs = [PolicyGraphs.Scores];

    private readonly SessionOptions _options;
    private readonly InferenceSession _userEncoder;
    private readonly InferenceSession _scorer;
    private readonly RunOptions _runOptions = new();
    private readonly PreferenceFeatures _features;
    private readonly float[] _coldStart;
    private readonly int _queryDimension;
    private readonly int _candidateDimension;
    private readonly int _responseDimension;
    private readonly int _profileDimension;
    private readonly int _queryCacheCapacity;
    private readonly ConcurrentDictionary<string, EncodedQuery> _encoded = new(StringComparer.Ordinal);

    /// <summary>
    /// The same encodings by the store's query id, for histories: a lookup by text hashes the whole prompt (about
    /// 1,500 characters on routerbench), 200 times per re-embedding; by id it hashes a short id and compares the text.
    /// </summary>
    private readonly ConcurrentDictionary<string, EncodedQuery> _encodedById = new(StringComparer.Ordinal);
    private int _disposed;

    /// <summary>Encoded prompts kept by default for reuse (a user's history is re-encoded at every feedback otherwise); cleared when full.</summary>
    public const int DefaultQueryCacheCapacity = 8192;

    /// <summary>Longer prompts are encoded every time rather than kept.</summary>
    public const int QueryCacheMaxLength = 4096;

    private PolicyRuntime(
        PolicyManifest manifest, PolicyRuntimeSpec spec, PreferenceFeatures features, FittedCostModel costModel,
        SessionOptions options, InferenceSession userEncoder, InferenceSession scorer, int queryCacheCapacity)
    {
        _queryCacheCapacity = queryCacheCapacity;
        Manifest = manifest;
        Spec = spec;
        _features = features;
        CostModel = costModel;
        _options = options;
        _userEncoder = userEncoder;
        _scorer = scorer;
        _coldStart = [.. spec.ColdStartEmbedding];
        _queryDimension = features.QueryDimension;
        _candidateDimension = features.CandidateDimension;
        _responseDimension = features.ResponseDimension;
        _profileDimension = features.ProfileDimension;
    }

    public string Version => Manifest.Version;

    public PolicyManifest Manifest { get; }

    /// <summary>The policy's <c>runtime.json</c>.</summary>
    public PolicyRuntimeSpec Spec { get; }

    /// <summary>The LLM catalog in the model's index order: the only models this policy can score.</summary>
    public IReadOnlyList<string> Models => _features.Llms;

    /// <summary>The rating scale the policy was trained on; stored ratings are normalized on it.</summary>
    public RatingScale Scale => _features.Scale;

    /// <summary>At most this many latest interactions inform a user's embedding.</summary>
    public int HistoryWindow => Spec.HistoryWindow;

    public int EmbeddingDimension => _coldStart.Length;

    /// <summary>The user token of someone with no (usable) history: the model's built-in prior.</summary>
    public ReadOnlyMemory<float> ColdStartEmbedding => _coldStart;

    /// <summary>Expected cost per model, fitted on the training prompts' observed costs (<c>cost-model.json</c>).</summary>
    public FittedCostModel CostModel { get; }

    /// <summary>The largest |ONNX Runtime - TorchSharp| over the parity sample's user tokens and scores, measured by <see cref="Load"/>.</summary>
    public double ParityMaxDifference { get; private set; }

    /// <summary>Whether <paramref name="model"/> is in the catalog.</summary>
    public bool Knows(string model) => _features.TryGetLlmIndex(model, out _);

    /// <summary>Verifies and loads the policy in <paramref name="folder"/> (named by its version).</summary>
    /// <exception cref="PolicyArtifactException">Anything wrong with the folder, naming the file at fault.</exception>
    public static PolicyRuntime Load(string folder) => Load(folder, DefaultQueryCacheCapacity);

    /// <summary>As <see cref="Load(string)"/>, keeping at most <paramref name="queryCacheCapacity"/> encoded prompts (0: none).</summary>
    public static PolicyRuntime Load(string folder, int queryCacheCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(queryCacheCapacity);
        var manifest = PolicyLoader.Verify(folder);
        var spec = ReadJson(folder, PolicyRuntimeSpec.FileName, PolicyRuntimeSpec.FromJson);
        if (spec.Format != PolicyRuntimeSpec.CurrentFormat)
        {
            throw new PolicyArtifactException(folder, PolicyRuntimeSpec.FileName, $"format {spec.Format} is not supported (expected {PolicyRuntimeSpec.CurrentFormat})");
        }
        var encoder = ReadFile(folder, PolicyGraphs.QueryEncoderFile, FittedQueryEncoder.Load);
        var costModel = ReadJson(folder, FittedCostModel.FileName, FittedCostModel.FromJson);
        var parity = ReadJson(folder, ParitySample.FileName, ParitySample.FromJson);
        var features = CheckSpec(folder, manifest, spec, encoder);

        var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        InferenceSession? userEncoder = null;
        InferenceSession? scorer = null;
        try
        {
            userEncoder = OpenSession(folder, PolicyGraphs.UserEncoderFile, options);
            CheckGraph(folder, PolicyGraphs.UserEncoderFile, userEncoder,
                [
                    (PolicyGraphs.QueryVectors, typeof(float), [-1, spec.QueryDimension]),
                    (PolicyGraphs.TurnQueries, typeof(long), [-1]),
                    (PolicyGraphs.TurnLlms, typeof(long), [-1]),
                    (PolicyGraphs.ResponseFeatures, typeof(float), [-1, spec.ResponseDimension]),
                    (PolicyGraphs.UserStatistic, typeof(float), [1, spec.ResponseDimension]),
                ],
                [(PolicyGraphs.UserToken, typeof(float), [1, spec.EmbeddingDimension])]);
            scorer = OpenSession(folder, PolicyGraphs.ScorerFile, options);
            CheckGraph(folder, PolicyGraphs.ScorerFile, scorer,
                [
                    (PolicyGraphs.ScorerUsers, typeof(float), [-1, spec.EmbeddingDimension]),
                    (PolicyGraphs.ScorerQueries, typeof(float), [-1, spec.QueryDimension]),
                    (PolicyGraphs.Candidates, typeof(long), [-1, -1]),
                    (PolicyGraphs.CandidateFeatures, typeof(float), [-1, -1, spec.CandidateDimension]),
                ],
                [(PolicyGraphs.Scores, typeof(float), [-1, -1])]);
        }
        catch
        {
            userEncoder?.Dispose();
            scorer?.Dispose();
            options.Dispose();
            throw;
        }

        var runtime = new PolicyRuntime(manifest, spec, features, costModel, options, userEncoder, scorer, queryCacheCapacity);
        try
        {
            runtime.ParityMaxDifference = runtime.Replay(folder, parity);
        }
        catch
        {
            runtime.Dispose();
            throw;
        }
        return runtime;
    }

    /// <summary>
    /// The user token from a history as the store returns it, newest first. Uses the latest
    /// <see cref="HistoryWindow"/> interactions that rated at least one catalog model, in chronological order
    /// (as training windowed histories); responses of models outside the catalog are skipped, and an interaction
    /// left with none is not counted. No usable interaction gives <see cref="ColdStartEmbedding"/>.
    /// A response without text or cost contributes length or cost 0, as training did for an unknown answer.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A rating outside <see cref="Scale"/>.</exception>
    public float[] EmbedUser(IReadOnlyList<HistoryEntry> newestFirst)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        ThrowIfDisposed();
        var window = new List<HistoryEntry>(Math.Min(newestFirst.Count, HistoryWindow));
        var turns = 0;
        var widest = 0;
        for (var i = 0; i < newestFirst.Count && window.Count < HistoryWindow; i++)
        {
            var entry = newestFirst[i] ?? throw new ArgumentException("the history holds a null entry", nameof(newestFirst));
            var usable = CatalogResponses(entry);
            if (usable > 0)
            {
                window.Add(entry);
                turns += usable;
                widest = Math.Max(widest, usable);
            }
        }
        if (window.Count == 0)
        {
            return [.. _coldStart];
        }
        window.Reverse();

        var queries = window.Count;
        var queryVectors = new float[queries * _queryDimension];
        var turnQueries = new long[turns];
        var turnLlms = new long[turns];
        var rows = new float[turns * _responseDimension];
        var statistic = new float[_responseDimension];
        var observations = new ResponseObservation[widest];
        var weight = PreferenceFeatures.PoolingWeight(queries);
        var t = 0;
        for (var q = 0; q < queries; q++)
        {
            var entry = window[q];
            var encoded = EncodeHistoryQuery(entry);
            encoded.VectorArray.CopyTo(queryVectors.AsSpan(q * _queryDimension, _queryDimension));
            var profile = encoded.ProfileArray;
            var n = 0;
            foreach (var response in entry.Responses)
            {
                if (!_features.TryGetLlmIndex(response.Llm, out var llm))
                {
                    continue;
                }
                observations[n] = new ResponseObservation(llm, response.Rating, response.Text?.Length, response.CostUsd);
                turnQueries[t + n] = q;
                turnLlms[t + n] = llm;
                n++;
            }
            var block = rows.AsSpan(t * _responseDimension, n * _responseDimension);
            _features.WriteResponses(profile, observations.AsSpan(0, n), block);
            PreferenceFeatures.AddToPooledStatistic(block, weight, statistic);
            t += n;
        }

        using var queryValue = OrtValue.CreateTensorValueFromMemory(queryVectors, [queries, _queryDimension]);
        using var turnQueryValue = OrtValue.CreateTensorValueFromMemory(turnQueries, [turns]);
        using var turnLlmValue = OrtValue.CreateTensorValueFromMemory(turnLlms, [turns]);
        using var rowValue = OrtValue.CreateTensorValueFromMemory(rows, [turns, _responseDimension]);
        using var statisticValue = OrtValue.CreateTensorValueFromMemory(statistic, [1, _responseDimension]);
        using var outputs = _userEncoder.Run(_runOptions, UserEncoderInputs, [queryValue, turnQueryValue, turnLlmValue, rowValue, statisticValue], UserEncoderOutputs);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>
    /// Encodes a prompt once (query vector and profile) for scoring any candidates for any user. Prompts up to
    /// <see cref="QueryCacheMaxLength"/> characters are kept (at most the capacity given to <see cref="Load(string, int)"/>), so a
    /// prompt seen before, in a route or in a history, is not encoded again.
    /// </summary>
    public EncodedQuery EncodeQuery(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ThrowIfDisposed();
        if (_encoded.TryGetValue(text, out var known))
        {
            return known;
        }
        var vector = new float[_queryDimension];
        var profile = new float[_profileDimension];
        _features.EncodeQuery(text, vector, profile);
        var encoded = new EncodedQuery(_features, text, vector, profile);
        Keep(_encoded, text, encoded);
        return encoded;
    }

    /// <summary>
    /// <see cref="EncodeQuery"/> for a history entry, found by its query id first. A hit counts only when its text is
    /// the entry's (an ordinal comparison, no hashing), so ids never stand in for texts.
    /// </summary>
    private EncodedQuery EncodeHistoryQuery(HistoryEntry entry)
    {
        if (_encodedById.TryGetValue(entry.QueryId, out var known) && string.Equals(known.Text, entry.QueryText, StringComparison.Ordinal))
        {
            return known;
        }
        var encoded = EncodeQuery(entry.QueryText);
        Keep(_encodedById, entry.QueryId, encoded);
        return encoded;
    }

    /// <summary>Keeps <paramref name="encoded"/> under <paramref name="key"/> unless caching is off or its prompt too long; a full cache starts over.</summary>
    private void Keep(ConcurrentDictionary<string, EncodedQuery> cache, string key, EncodedQuery encoded)
    {
        if (_queryCacheCapacity == 0 || encoded.Text.Length > QueryCacheMaxLength)
        {
            return;
        }
        if (cache.Count >= _queryCacheCapacity)
        {
            cache.Clear();
        }
        cache[key] = encoded;
    }

    /// <summary>The scores of <paramref name="models"/> (each in <see cref="Models"/>) for one user token and one query, in the given order.</summary>
    /// <exception cref="ArgumentException">A model outside the catalog, a user token of the wrong size, or a query encoded by another policy.</exception>
    public double[] Score(ReadOnlySpan<float> user, EncodedQuery query, IReadOnlyList<string> models)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(models);
        var result = new double[models.Count];
        ScoreRows(user, new ReadOnlySpan<EncodedQuery>(in query), models, result);
        return result;
    }

    /// <summary>The scores of <paramref name="models"/> for one user token and several queries in one run: one row per query.</summary>
    public double[][] Score(ReadOnlySpan<float> user, IReadOnlyList<EncodedQuery> queries, IReadOnlyList<string> models)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(models);
        var rows = new EncodedQuery[queries.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = queries[i] ?? throw new ArgumentException("a query is null", nameof(queries));
        }
        var flat = new double[rows.Length * models.Count];
        ScoreRows(user, rows, models, flat);
        var result = new double[rows.Length][];
        for (var i = 0; i < rows.Length; i++)
        {
            result[i] = flat.AsSpan(i * models.Count, models.Count).ToArray();
        }
        return result;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _userEncoder.Dispose();
        _scorer.Dispose();
        _runOptions.Dispose();
        _options.Dispose();
    }

    private void ScoreRows(ReadOnlySpan<float> user, ReadOnlySpan<EncodedQuery> queries, IReadOnlyList<string> models, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(models);
        ThrowIfDisposed();
        var embedding = _coldStart.Length;
        if (user.Length != embedding)
        {
            throw new ArgumentException($"the user token has {user.Length} values; policy {Version} uses {embedding}", nameof(user));
        }
        var candidates = models.Count;
        var rows = queries.Length;
        if (candidates == 0 || rows == 0)
        {
            return;
        }
        Span<int> indices = candidates <= 128 ? stackalloc int[candidates] : new int[candidates];
        for (var c = 0; c < candidates; c++)
        {
            var model = models[c] ?? throw new ArgumentException("a model name is null", nameof(models));
            if (!_features.TryGetLlmIndex(model, out indices[c]))
            {
                throw new ArgumentException($"model '{model}' is not in policy {Version}'s catalog", nameof(models));
            }
        }
        for (var r = 0; r < rows; r++)
        {
            if (!ReferenceEquals(queries[r].Owner, _features))
            {
                throw new ArgumentException($"query was encoded by another policy, not {Version}", nameof(queries));
            }
        }

        var pool = ArrayPool<float>.Shared;
        var userBuffer = pool.Rent(rows * embedding);
        var queryBuffer = pool.Rent(rows * _queryDimension);
        var phiBuffer = pool.Rent(rows * candidates * _candidateDimension);
        var scoreBuffer = pool.Rent(rows * candidates);
        var candidateBuffer = ArrayPool<long>.Shared.Rent(rows * candidates);
        try
        {
            for (var r = 0; r < rows; r++)
            {
                user.CopyTo(userBuffer.AsSpan(r * embedding, embedding));
                queries[r].VectorArray.CopyTo(queryBuffer.AsSpan(r * _queryDimension, _queryDimension));
                _features.WriteCandidates(queries[r].ProfileArray, indices, phiBuffer.AsSpan(r * candidates * _candidateDimension, candidates * _candidateDimension));
                for (var c = 0; c < candidates; c++)
                {
                    candidateBuffer[r * candidates + c] = indices[c];
                }
            }
            var memory = OrtMemoryInfo.DefaultInstance;
            using var userValue = OrtValue.CreateTensorValueFromMemory(memory, userBuffer.AsMemory(0, rows * embedding), [rows, embedding]);
            using var queryValue = OrtValue.CreateTensorValueFromMemory(memory, queryBuffer.AsMemory(0, rows * _queryDimension), [rows, _queryDimension]);
            using var candidateValue = OrtValue.CreateTensorValueFromMemory(memory, candidateBuffer.AsMemory(0, rows * candidates), [rows, candidates]);
            using var phiValue = OrtValue.CreateTensorValueFromMemory(memory, phiBuffer.AsMemory(0, rows * candidates * _candidateDimension), [rows, candidates, _candidateDimension]);
            using var scoreValue = OrtValue.CreateTensorValueFromMemory(memory, scoreBuffer.AsMemory(0, rows * candidates), [rows, candidates]);
            _scorer.Run(_runOptions, ScorerInputs, [userValue, queryValue, candidateValue, phiValue], ScorerOutputs, [scoreValue]);
            for (var i = 0; i < rows * candidates; i++)
            {
                destination[i] = scoreBuffer[i];
            }
        }
        finally
        {
            pool.Return(userBuffer);
            pool.Return(queryBuffer);
            pool.Return(phiBuffer);
            pool.Return(scoreBuffer);
            ArrayPool<long>.Shared.Return(candidateBuffer);
        }
    }

    private int CatalogResponses(HistoryEntry entry)
    {
        var count = 0;
        foreach (var response in entry.Responses)
        {
            if (_features.TryGetLlmIndex(response.Llm, out _))
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>Replays the parity sample; returns the largest difference, or throws naming parity.json.</summary>
    private double Replay(string folder, ParitySample sample)
    {
        if (sample.Users.Count == 0 || sample.Queries.Count == 0 || !(sample.Tolerance > 0))
        {
            throw new PolicyArtifactException(folder, ParitySample.FileName, "the parity sample needs users, queries and a positive tolerance");
        }
        var worst = 0.0;
        var embeddings = new float[sample.Users.Count][];
        for (var u = 0; u < sample.Users.Count; u++)
        {
            var user = sample.Users[u];
            try
            {
                embeddings[u] = EmbedUser(ParityHistory(user));
            }
            catch (ArgumentException e)
            {
                throw new PolicyArtifactException(folder, ParitySample.FileName, $"user '{user.Label}': {e.Message}");
            }
            worst = Math.Max(worst, Compare(folder, $"user '{user.Label}' token", user.Embedding.Select(v => (double)v).ToArray(), embeddings[u].Select(v => (double)v).ToArray(), sample.Tolerance));
        }
        foreach (var query in sample.Queries)
        {
            if (query.Scores.Count != sample.Users.Count)
            {
                throw new PolicyArtifactException(folder, ParitySample.FileName, $"query holds {query.Scores.Count} score rows for {sample.Users.Count} users");
            }
            var encoded = EncodeQuery(query.Text);
            for (var u = 0; u < sample.Users.Count; u++)
            {
                var actual = Score(embeddings[u], encoded, Models);
                worst = Math.Max(worst, Compare(folder, $"scores of user '{sample.Users[u].Label}'", [.. query.Scores[u]], actual, sample.Tolerance));
            }
        }
        return worst;
    }

    /// <summary>A parity user's chronological interactions as the store would return them (newest first); an answer's text is only ever measured, so one of the recorded length stands in.</summary>
    public static IReadOnlyList<HistoryEntry> ParityHistory(ParityUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var entries = new List<HistoryEntry>(user.Interactions.Count);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = user.Interactions.Count - 1; i >= 0; i--)
        {
            var interaction = user.Interactions[i];
            entries.Add(new HistoryEntry
            {
                Conversation = $"parity-{i}",
                Step = 0,
                Timestamp = start.AddMinutes(i),
                QueryId = $"parity-{i}",
                QueryText = interaction.Query,
                Responses = interaction.Responses.Select(r => new RatedResponse
                {
                    Llm = r.Llm,
                    Rating = r.Rating,
                    Text = r.Characters is { } n ? new string('x', n) : null,
                    CostUsd = r.CostUsd,
                }).ToList(),
            });
        }
        return entries;
    }

    private static double Compare(string folder, string what, double[] expected, double[] actual, double tolerance)
    {
        if (expected.Length != actual.Length)
        {
            throw new PolicyArtifactException(folder, ParitySample.FileName, $"{what}: {actual.Length} values, the sample holds {expected.Length}");
        }
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            var difference = Math.Abs(expected[i] - actual[i]);
            if (!(difference <= tolerance))
            {
                throw new PolicyArtifactException(folder, ParitySample.FileName,
                    $"{what}: value {i} is {actual[i]:R} under ONNX Runtime, {expected[i]:R} under TorchSharp (|difference| {difference:G3} > {tolerance:G3}): the graphs do not compute the trained model");
            }
            worst = Math.Max(worst, difference);
        }
        return worst;
    }

    private static PreferenceFeatures CheckSpec(string folder, PolicyManifest manifest, PolicyRuntimeSpec spec, FittedQueryEncoder encoder)
    {
        void Fail(string problem) => throw new PolicyArtifactException(folder, PolicyRuntimeSpec.FileName, problem);
        if (spec.Models is null || spec.RatingScale is null || spec.ResponseStatistics is null || spec.ColdStartEmbedding is null || spec.QueryEncoder is null)
        {
            Fail("a required field is missing");
        }
        if (!spec.Models!.SequenceEqual(manifest.Models, StringComparer.Ordinal))
        {
            Fail($"models [{string.Join(", ", spec.Models!)}] differ from the manifest's [{string.Join(", ", manifest.Models)}]");
        }
        if (spec.QueryEncoder != manifest.QueryEncoder || encoder.Name != spec.QueryEncoder)
        {
            throw new PolicyArtifactException(folder, PolicyGraphs.QueryEncoderFile, $"encoder '{encoder.Name}', runtime.json says '{spec.QueryEncoder}', the manifest '{manifest.QueryEncoder}'");
        }
        if (spec.PriorCount != PreferenceFeatures.PriorCount)
        {
            Fail($"prior count {spec.PriorCount}; this runtime pools with {PreferenceFeatures.PriorCount}");
        }
        if (spec.HistoryWindow < 1)
        {
            Fail($"history window {spec.HistoryWindow} must be at least 1");
        }
        if (spec.RatingScale!.Max <= spec.RatingScale.Min || !double.IsFinite(spec.RatingScale.Min) || !double.IsFinite(spec.RatingScale.Max))
        {
            Fail($"rating scale [{spec.RatingScale.Min}, {spec.RatingScale.Max}] is empty");
        }
        PreferenceFeatures features;
        try
        {
            features = new PreferenceFeatures(encoder, spec.Models!, spec.ResponseStatistics!, spec.RatingScale);
        }
        catch (ArgumentException e)
        {
            throw new PolicyArtifactException(folder, PolicyRuntimeSpec.FileName, e.Message);
        }
        var sizes = new (string Name, int Declared, int Actual)[]
        {
            ("queryDimension", spec.QueryDimension, features.QueryDimension),
            ("kindCount", spec.KindCount, features.KindCount),
            ("candidateDimension", spec.CandidateDimension, features.CandidateDimension),
            ("responseDimension", spec.ResponseDimension, features.ResponseDimension),
            ("coldStartEmbedding length", spec.EmbeddingDimension, spec.ColdStartEmbedding!.Count),
        };
        foreach (var (name, declared, actual) in sizes)
        {
            if (declared != actual)
            {
                Fail($"{name} is {declared}, but the encoder and catalog give {actual}");
            }
        }
        if (spec.EmbeddingDimension < 1 || spec.ColdStartEmbedding!.Any(v => !float.IsFinite(v)))
        {
            Fail("the cold-start embedding is empty or not finite");
        }
        return features;
    }

    private static InferenceSession OpenSession(string folder, string file, SessionOptions options)
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            throw new PolicyArtifactException(folder, file, "missing");
        }
        try
        {
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new PolicyArtifactException(folder, file, $"ONNX Runtime cannot load it: {e.Message}");
        }
    }

    private static void CheckGraph(
        string folder, string file, InferenceSession session,
        IReadOnlyList<(string Name, Type Element, long[] Dims)> inputs,
        IReadOnlyList<(string Name, Type Element, long[] Dims)> outputs)
    {
        Check("input", session.InputMetadata, inputs);
        Check("output", session.OutputMetadata, outputs);

        void Check(string role, IReadOnlyDictionary<string, NodeMetadata> actual, IReadOnlyList<(string Name, Type Element, long[] Dims)> expected)
        {
            if (actual.Count != expected.Count)
            {
                throw new PolicyArtifactException(folder, file, $"has {role}s [{string.Join(", ", actual.Keys)}], expected [{string.Join(", ", expected.Select(e => e.Name))}]");
            }
            foreach (var (name, element, dims) in expected)
            {
                if (!actual.TryGetValue(name, out var metadata))
                {
                    throw new PolicyArtifactException(folder, file, $"has no {role} '{name}'");
                }
                var shown = string.Join(", ", metadata.Dimensions.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                if (!metadata.IsTensor || metadata.ElementType != element || !metadata.Dimensions.Select(d => (long)d).SequenceEqual(dims))
                {
                    throw new PolicyArtifactException(folder, file,
                        $"{role} '{name}' is {metadata.ElementType.Name}[{shown}], runtime.json implies {element.Name}[{string.Join(", ", dims.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]");
                }
            }
        }
    }

    private static T ReadFile<T>(string folder, string file, Func<string, T> read)
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            throw new PolicyArtifactException(folder, file, "missing");
        }
        try
        {
            return read(path);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException or ArgumentException or NotSupportedException)
        {
            throw new PolicyArtifactException(folder, file, $"unreadable: {e.Message}");
        }
    }

    private static T ReadJson<T>(string folder, string file, Func<string, T> parse) =>
        ReadFile(folder, file, path => parse(File.ReadAllText(path)));

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
