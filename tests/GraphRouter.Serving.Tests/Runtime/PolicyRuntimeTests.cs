using System.Text.Json;
using System.Text.Json.Nodes;
using GraphRouter.Routing.Policies;
using GraphRouter.Serving.Runtime;
using GraphRouter.Storage.History;
using Xunit.Abstractions;

namespace GraphRouter.Serving.Tests.Runtime;

public sealed class PolicyRuntimeTests(BundledPolicyFixture fixture, ITestOutputHelper output) : IClassFixture<BundledPolicyFixture>
{
    private PolicyRuntime Runtime => fixture.Runtime;

    [Fact]
    public void The_bundled_policy_reproduces_the_user_tokens_and_scores_TorchSharp_recorded_at_export()
    {
        var parity = fixture.Parity;
        Assert.Equal(BundledPolicy.Version, Runtime.Version);
        Assert.Equal(1e-4, parity.Tolerance);
        Assert.Contains(parity.Users, u => u.Interactions.Count == 0);
        Assert.Contains(parity.Users, u => u.Interactions.Count == 1 && u.Interactions[0].Responses.Count == 1);
        var worst = 0.0;
        var tokens = new List<float[]>();
        foreach (var user in parity.Users)
        {
            var token = Runtime.EmbedUser(PolicyRuntime.ParityHistory(user));
            Assert.Equal(user.Embedding.Count, token.Length);
            for (var i = 0; i < token.Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(token[i] - user.Embedding[i]));
            }
            tokens.Add(token);
        }
        foreach (var query in parity.Queries)
        {
            var encoded = Runtime.EncodeQuery(query.Text);
            for (var u = 0; u < tokens.Count; u++)
            {
                var scores = Runtime.Score(tokens[u], encoded, Runtime.Models);
                Assert.Equal(query.Scores[u].Count, scores.Length);
                for (var i = 0; i < scores.Length; i++)
                {
                    worst = Math.Max(worst, Math.Abs(scores[i] - query.Scores[u][i]));
                }
            }
        }
        output.WriteLine($"bundled policy parity: max |ONNX Runtime - TorchSharp| = {worst:G3} over {parity.Users.Count} users and {parity.Queries.Count} prompts");
        Assert.True(worst <= parity.Tolerance, $"max difference {worst}");
        Assert.Equal(worst, Runtime.ParityMaxDifference, 1e-12);
    }

    [Fact]
    public void The_bundled_policy_describes_what_it_serves_and_its_validation_metrics()
    {
        Assert.Equal(11, Runtime.Models.Count);
        Assert.Equal(Runtime.Manifest.Models, Runtime.Models);
        Assert.Equal(64, Runtime.EmbeddingDimension);
        Assert.Equal(200, Runtime.HistoryWindow);
        Assert.Equal((1.0, 10.0), (Runtime.Scale.Min, Runtime.Scale.Max));
        Assert.Equal(Runtime.EmbeddingDimension, Runtime.ColdStartEmbedding.Length);
        Assert.All(Runtime.Models, m => Assert.NotNull(Runtime.CostModel.Find(m)));
        Assert.True(Runtime.Manifest.Metrics["validationPairwiseAccuracy"] > 0.65, "validation accuracy of the bundled policy");
        Assert.True(Runtime.Manifest.Metrics["validationPairs"] > 500);
        // model.bin: the TorchSharp weights a warm-started retrain starts from; serving lists and verifies it, never reads it
        Assert.Equal(
            [FittedCostModelFile, "model.bin", ParitySample.FileName, PolicyGraphs.QueryEncoderFile, PolicyRuntimeSpec.FileName, PolicyGraphs.ScorerFile, PolicyGraphs.UserEncoderFile],
            Runtime.Manifest.Files.Select(f => f.Path));
    }

    [Fact]
    public void A_history_with_nothing_usable_gets_the_cold_start_token()
    {
        Assert.Equal(Runtime.ColdStartEmbedding.ToArray(), Runtime.EmbedUser([]));
        var foreign = Entry(0, "What is 2 + 2?", new RatedResponse { Llm = "not-in-the-catalog", Rating = 9 });
        Assert.Equal(Runtime.ColdStartEmbedding.ToArray(), Runtime.EmbedUser([foreign]));
    }

    [Fact]
    public void One_rated_response_is_a_history_of_one_turn()
    {
        var history = new[] { Entry(0, "Write a function that reverses a list.", new RatedResponse { Llm = Runtime.Models[0], Rating = 8, Text = "def r(x): return x[::-1]", CostUsd = 0.002 }) };
        var token = Runtime.EmbedUser(history);
        Assert.Equal(Runtime.EmbeddingDimension, token.Length);
        Assert.All(token, v => Assert.True(float.IsFinite(v)));
        Assert.NotEqual(Runtime.ColdStartEmbedding.ToArray(), token);
    }

    [Fact]
    public void Responses_of_models_outside_the_catalog_are_skipped()
    {
        var user = fixture.Parity.Users.First(u => u.Interactions.Count >= 5);
        var history = PolicyRuntime.ParityHistory(user);
        var withForeign = history.Select(e => e with { Responses = [.. e.Responses, new RatedResponse { Llm = "some-new-model", Rating = 10, Text = "hello" }] }).ToList();
        withForeign.Insert(2, Entry(99, "an interaction that rated only a model the policy does not know", new RatedResponse { Llm = "some-new-model", Rating = 3 }));
        Assert.Equal(Runtime.EmbedUser(history), Runtime.EmbedUser(withForeign));
    }

    [Fact]
    public void Only_the_latest_interactions_within_the_window_inform_the_token()
    {
        var source = fixture.Parity.Users.MaxBy(u => u.Interactions.Count)!;
        var one = PolicyRuntime.ParityHistory(source);
        var newestFirst = Enumerable.Range(0, Runtime.HistoryWindow / one.Count + 2).SelectMany(_ => one).ToList();
        Assert.True(newestFirst.Count > Runtime.HistoryWindow);
        var full = Runtime.EmbedUser(newestFirst);
        Assert.Equal(Runtime.EmbedUser(newestFirst.Take(Runtime.HistoryWindow).ToList()), full);
        Assert.NotEqual(Runtime.EmbedUser(newestFirst.Take(Runtime.HistoryWindow - 1).ToList()), full);
    }

    [Fact]
    public void Scores_follow_the_requested_candidates_in_any_order_and_subset()
    {
        var user = Runtime.EmbedUser(PolicyRuntime.ParityHistory(fixture.Parity.Users[^1]));
        var query = Runtime.EncodeQuery("Which of these two sentences uses the pronoun correctly? Option 1 or option 2.");
        var all = Runtime.Score(user, query, Runtime.Models);
        Assert.Equal(Runtime.Models.Count, all.Length);
        Assert.All(all, s => Assert.True(double.IsFinite(s)));
        Assert.True(all.Max() - all.Min() > 1e-3, "the scores tell the models apart");

        var reversed = Runtime.Score(user, query, Runtime.Models.Reverse().ToList());
        Assert.All(Enumerable.Range(0, all.Length), i => Assert.Equal(all[i], reversed[all.Length - 1 - i], 1e-6));
        var pair = Runtime.Score(user, query, [Runtime.Models[3], Runtime.Models[7]]);
        Assert.Equal(all[3], pair[0], 1e-6);
        Assert.Equal(all[7], pair[1], 1e-6);
        Assert.Empty(Runtime.Score(user, query, []));
    }

    [Fact]
    public void A_prompt_is_encoded_once_and_reused_and_a_runtime_without_the_cache_encodes_the_same_values()
    {
        var text = "Write a Python function to find the longest common prefix of a list of strings.";
        var first = Runtime.EncodeQuery(text);
        Assert.Same(first, Runtime.EncodeQuery(new string(text.AsSpan())));
        using var copy = BundledPolicyFixture.Copy();
        using var uncached = PolicyRuntime.Load(copy.Folder, queryCacheCapacity: 0);
        var fresh = uncached.EncodeQuery(text);
        Assert.NotSame(fresh, uncached.EncodeQuery(text));
        Assert.Equal(first.Vector.ToArray(), fresh.Vector.ToArray());
        Assert.Equal(first.Profile.ToArray(), fresh.Profile.ToArray());
        var history = PolicyRuntime.ParityHistory(fixture.Parity.Users[^1]);
        Assert.Equal(Runtime.EmbedUser(history), uncached.EmbedUser(history));
    }

    [Fact]
    public void A_history_is_encoded_by_its_texts_even_when_a_query_id_comes_back_with_another_text()
    {
        using var copy = BundledPolicyFixture.Copy();
        using var runtime = PolicyRuntime.Load(copy.Folder);
        using var reference = PolicyRuntime.Load(copy.Folder, queryCacheCapacity: 0);
        var rating = new RatedResponse { Llm = runtime.Models[2], Rating = 9, Text = "4", CostUsd = 0.0001 };
        var first = new[] { Entry(0, "What is 2 + 2?", rating) };
        // The same query id with another text (another store behind the same runtime): the id's cached encoding must not be used.
        var renamed = new[] { Entry(0, "Prove that there are infinitely many primes.", rating) };

        Assert.Equal(reference.EmbedUser(first), runtime.EmbedUser(first));
        var again = runtime.EmbedUser(renamed);
        Assert.Equal(reference.EmbedUser(renamed), again);
        Assert.NotEqual(reference.EmbedUser(first), again);
        // And the id's first text is still recognized afterwards.
        Assert.Equal(reference.EmbedUser(first), runtime.EmbedUser(first));
    }

    [Fact]
    public void Batched_scores_equal_one_query_at_a_time()
    {
        var user = Runtime.EmbedUser(PolicyRuntime.ParityHistory(fixture.Parity.Users[2]));
        var queries = fixture.Parity.Queries.Select(q => Runtime.EncodeQuery(q.Text)).ToList();
        var batched = Runtime.Score(user, queries, Runtime.Models);
        Assert.Equal(queries.Count, batched.Length);
        for (var q = 0; q < queries.Count; q++)
        {
            var single = Runtime.Score(user, queries[q], Runtime.Models);
            Assert.All(Enumerable.Range(0, single.Length), i => Assert.Equal(single[i], batched[q][i], 1e-6));
        }
    }

    [Fact]
    public void Bad_arguments_are_refused_with_a_clear_error()
    {
        var user = Runtime.ColdStartEmbedding.ToArray();
        var query = Runtime.EncodeQuery("hello");
        var unknown = Assert.Throws<ArgumentException>(() => Runtime.Score(user, query, [Runtime.Models[0], "gpt-17"]));
        Assert.Contains("gpt-17", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Runtime.Score(user.AsSpan(1), query, Runtime.Models));
        using var copy = BundledPolicyFixture.Copy();
        using var other = PolicyRuntime.Load(copy.Folder);
        Assert.Throws<ArgumentException>(() => Runtime.Score(user, other.EncodeQuery("hello"), Runtime.Models));
        var outside = Entry(0, "q", new RatedResponse { Llm = Runtime.Models[0], Rating = 11 });
        Assert.Throws<ArgumentOutOfRangeException>(() => Runtime.EmbedUser([outside]));
    }

    [Fact]
    public void Concurrent_callers_get_the_same_answers_as_one_caller()
    {
        var histories = fixture.Parity.Users.Select(PolicyRuntime.ParityHistory).ToList();
        var queries = fixture.Parity.Queries.Select(q => Runtime.EncodeQuery(q.Text)).ToList();
        var expected = histories.Select(h => queries.Select(q => Runtime.Score(Runtime.EmbedUser(h), q, Runtime.Models)).ToList()).ToList();
        var failures = 0;
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var u = i % histories.Count;
            var token = Runtime.EmbedUser(histories[u]);
            for (var q = 0; q < queries.Count; q++)
            {
                if (!expected[u][q].SequenceEqual(Runtime.Score(token, queries[q], Runtime.Models)))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        Assert.Equal(0, failures);
    }

    [Fact]
    public void A_flipped_byte_in_a_graph_is_refused_naming_the_file()
    {
        using var copy = BundledPolicyFixture.Copy();
        var bytes = File.ReadAllBytes(copy.PathOf(PolicyGraphs.ScorerFile));
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(copy.PathOf(PolicyGraphs.ScorerFile), bytes);
        var e = Assert.Throws<PolicyArtifactException>(() => PolicyRuntime.Load(copy.Folder));
        Assert.Equal(PolicyGraphs.ScorerFile, e.File);
        Assert.Contains("SHA-256", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_refused_naming_it()
    {
        using var copy = BundledPolicyFixture.Copy();
        File.Delete(copy.PathOf(PolicyGraphs.UserEncoderFile));
        var e = Assert.Throws<PolicyArtifactException>(() => PolicyRuntime.Load(copy.Folder));
        Assert.Equal(PolicyGraphs.UserEncoderFile, e.File);
    }

    [Fact]
    public void An_unlisted_file_is_refused_naming_it()
    {
        using var copy = BundledPolicyFixture.Copy();
        File.WriteAllText(copy.PathOf("extra-weights.onnx"), "not part of the policy");
        var e = Assert.Throws<PolicyArtifactException>(() => PolicyRuntime.Load(copy.Folder));
        Assert.Equal("extra-weights.onnx", e.File);
    }

    [Fact]
    public void Graphs_whose_shapes_differ_from_runtime_json_are_refused_even_with_valid_checksums()
    {
        using var copy = BundledPolicyFixture.Copy();
        var manifest = PolicyLoader.Verify(copy.Folder);
        var spec = JsonNode.Parse(File.ReadAllText(copy.PathOf(PolicyRuntimeSpec.FileName)))!.AsObject();
        spec["embeddingDimension"] = 65;
        spec["coldStartEmbedding"]!.AsArray().Add(0.5f);
        File.WriteAllText(copy.PathOf(PolicyRuntimeSpec.FileName), spec.ToJsonString());
        PolicyManifestWriter.Write(copy.Folder, manifest);
        var e = Assert.Throws<PolicyArtifactException>(() => PolicyRuntime.Load(copy.Folder));
        Assert.Equal(PolicyGraphs.UserEncoderFile, e.File);
        Assert.Contains("65", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parity_sample_the_graphs_do_not_reproduce_is_refused_even_with_valid_checksums()
    {
        using var copy = BundledPolicyFixture.Copy();
        var manifest = PolicyLoader.Verify(copy.Folder);
        var parity = fixture.Parity;
        var scores = parity.Queries[0].Scores.Select(r => (IReadOnlyList<double>)r.ToList()).ToList();
        var row = scores[1].ToList();
        row[4] += 0.01;
        scores[1] = row;
        var changed = parity with { Queries = [parity.Queries[0] with { Scores = scores }, .. parity.Queries.Skip(1)] };
        File.WriteAllText(copy.PathOf(ParitySample.FileName), changed.ToJson());
        PolicyManifestWriter.Write(copy.Folder, manifest);
        var e = Assert.Throws<PolicyArtifactException>(() => PolicyRuntime.Load(copy.Folder));
        Assert.Equal(ParitySample.FileName, e.File);
        Assert.Contains("TorchSharp", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_named_differently_from_its_version_is_refused()
    {
        using var copy = BundledPolicyFixture.Copy();
        var renamed = Path.Combine(copy.Parent, "2026.01.01-other");
        Directory.Move(copy.Folder, renamed);
        var e = Assert.Throws<PolicyArtifactException>(() => PolicyRuntime.Load(renamed));
        Assert.Equal(PolicyManifest.FileName, e.File);
        Directory.Move(renamed, copy.Folder);
    }

    private const string FittedCostModelFile = Routing.Costs.FittedCostModel.FileName;

    private static HistoryEntry Entry(int i, string query, params RatedResponse[] responses) => new()
    {
        Conversation = $"c{i}",
        Step = 0,
        Timestamp = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i),
        QueryId = $"q{i}",
        QueryText = query,
        Responses = responses,
    };
}
