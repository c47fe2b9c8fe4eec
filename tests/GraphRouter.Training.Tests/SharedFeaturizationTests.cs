using GraphRouter.Core.Domain;
using GraphRouter.Core.Featurization;
using GraphRouter.Training.Tests.Reference;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Tests;

/// <summary>
/// Training's features come from Core's <see cref="PreferenceFeatures"/> (which serving shares) and must be
/// bit-identical to what training computed before the move: held against <see cref="LegacyNodeFeaturizer"/>,
/// the old code kept verbatim, on every routerbench prompt and every training user's history.
/// </summary>
public sealed class SharedFeaturizationTests(RouterBenchSlice slice) : IClassFixture<RouterBenchSlice>
{
    [Fact]
    public void Graph_rows_and_pooled_statistics_are_bit_identical_to_the_legacy_featurizer_on_every_training_history()
    {
        using var router = GraphRouterTrainer.Create(slice.Split, RouterBenchSlice.SmallConfig);
        var features = router.Features;
        var legacy = new LegacyNodeFeaturizer(slice.Split.Data, features.Encoder, features.Statistics, features.OutOfFold);
        var histories = slice.Split.Train.GroupBy(i => i.User, StringComparer.Ordinal)
            .Select(g => (IReadOnlyList<Interaction>)g.ToList()).ToList();
        var batch = router.Builder.Build(histories);

        var width = batch.ResponseDimension;
        Assert.Equal(legacy.ResponseDimension, width);
        var expectedRows = new List<float>();
        var expectedQueries = new List<float>();
        var expectedStatistics = new List<float>();
        foreach (var history in histories)
        {
            foreach (var interaction in history)
            {
                var rows = new float[interaction.Ratings.Count * width];
                legacy.WriteResponses(interaction, rows);
                expectedRows.AddRange(rows);
                expectedQueries.AddRange(legacy.QueryVector(interaction.QueryId));
            }
            expectedStatistics.AddRange(legacy.PooledStatistic(history));
        }
        AssertBitIdentical(expectedQueries, batch.QueryFeatures);
        AssertBitIdentical(expectedRows, batch.ResponseFeatures);
        AssertBitIdentical(expectedStatistics, batch.UserStatistics);
        Assert.Contains(batch.ResponseFeatures, v => v != 0f);
    }

    [Fact]
    public void Candidate_features_are_bit_identical_to_the_legacy_featurizer_on_every_prompt()
    {
        using var router = GraphRouterTrainer.Create(slice.Split, RouterBenchSlice.SmallConfig);
        var features = router.Features;
        var legacy = new LegacyNodeFeaturizer(slice.Split.Data, features.Encoder, features.Statistics, features.OutOfFold);
        var all = Enumerable.Range(0, features.Llms.Count).ToArray();
        var expected = new float[all.Length * features.CandidateDimension];
        var actual = new float[expected.Length];
        foreach (var query in slice.Split.Data.Queries)
        {
            legacy.WriteCandidates(query.Id, all, expected);
            features.WriteCandidates(query.Id, all, actual);
            AssertBitIdentical(expected, actual);
        }
    }

    [Fact]
    public void Serving_inputs_give_the_same_rows_as_the_dataset_when_text_and_cost_are_the_realized_answers()
    {
        using var router = GraphRouterTrainer.Create(slice.Split, RouterBenchSlice.SmallConfig);
        var data = slice.Split.Data;
        // a prompt that training never saw: no out-of-fold vector, so the encoder's own output is both sides' input
        var interaction = slice.Split.NewUserCases.SelectMany(c => c.History).First(i => !slice.Split.TrainQueries.Contains(i.QueryId));
        var preferences = router.Features.Preferences;
        var width = preferences.ResponseDimension;
        var expected = new float[interaction.Ratings.Count * width];
        router.Features.WriteResponses(interaction, expected);

        var text = data.Query(interaction.QueryId).Text;
        var vector = new float[preferences.QueryDimension];
        var profile = new float[preferences.ProfileDimension];
        preferences.EncodeQuery(text, vector, profile);
        var observations = interaction.Ratings.Select(r =>
        {
            var outcome = data.Outcome(interaction.QueryId, r.Llm);
            return new ResponseObservation(preferences.LlmIndex(r.Llm), r.Rating, outcome.Response.Length, outcome.CostUsd);
        }).ToArray();
        var actual = new float[expected.Length];
        preferences.WriteResponses(profile, observations, actual);
        AssertBitIdentical(expected, actual);
        AssertBitIdentical(router.Features.QueryVector(interaction.QueryId), vector);
        var all = Enumerable.Range(0, preferences.Llms.Count).ToArray();
        var trainingPhi = new float[all.Length * preferences.CandidateDimension];
        var servingPhi = new float[trainingPhi.Length];
        router.Features.WriteCandidates(interaction.QueryId, all, trainingPhi);
        preferences.WriteCandidates(profile, all, servingPhi);
        AssertBitIdentical(trainingPhi, servingPhi);

        // without the answers (a stored response with no text and no cost), length and cost read 0 as in training
        var unknown = observations.Select(o => o with { Characters = null, CostUsd = null }).ToArray();
        preferences.WriteResponses(profile, unknown, actual);
        for (var i = 0; i < unknown.Length; i++)
        {
            Assert.Equal([0f, 0f, 0f, 0f], actual.AsSpan(i * width + 2, 4).ToArray());
            Assert.Equal(expected[i * width], actual[i * width]);
        }
    }

    private static void AssertBitIdentical(IReadOnlyList<float> expected, IReadOnlyList<float> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"value {i}: expected {expected[i]:R}, got {actual[i]:R}");
            }
        }
    }
}
