using GraphRouter.Core.Domain;
using GraphRouter.Training.Graph;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Tests;

public sealed class UserStatisticsTests(RouterBenchSlice slice) : IClassFixture<RouterBenchSlice>
{
    [Fact]
    public void The_pooled_statistic_favours_the_models_the_user_rated_above_the_comparison_and_shrinks_with_few_interactions()
    {
        using var router = GraphRouterTrainer.Create(slice.Split, RouterBenchSlice.SmallConfig);
        var interaction = slice.Split.Train.First(i => i.Ratings.Select(r => r.Rating).Distinct().Count() > 1);
        var best = interaction.Ratings.MaxBy(r => r.Rating)!.Llm;
        var worst = interaction.Ratings.MinBy(r => r.Rating)!.Llm;
        var batch = router.Builder.Build([[interaction], [interaction, interaction], []]);
        var width = batch.ResponseDimension;
        var oneHot = width - router.Features.CandidateDimension;

        var once = batch.UserStatistics.AsSpan(0, width).ToArray();
        var twice = batch.UserStatistics.AsSpan(width, width).ToArray();
        Assert.True(once[oneHot + router.Features.LlmIndex(best)] > 0);
        Assert.True(once[oneHot + router.Features.LlmIndex(worst)] < 0);
        // sum / (n + 3): the same comparison twice is (2 / 5) / (1 / 4) = 1.6 times as strong, not twice
        Assert.All(Enumerable.Range(0, width), j => Assert.Equal(once[j] * 1.6f, twice[j], tolerance: 1e-5f));
        Assert.All(batch.UserStatistics.AsSpan(2 * width, width).ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_candidates_features_carry_its_one_hot_its_kind_profile_and_its_predictions_relative_to_the_catalog()
    {
        using var router = GraphRouterTrainer.Create(slice.Split, RouterBenchSlice.SmallConfig);
        var features = router.Features;
        var query = slice.Split.Data.Queries[0];
        var all = Enumerable.Range(0, features.Llms.Count).ToArray();
        var width = features.CandidateDimension;
        var phi = new float[all.Length * width];
        features.WriteCandidates(query.Id, all, phi);
        var l = features.Llms.Count;
        for (var c = 0; c < l; c++)
        {
            var row = phi.AsSpan(c * width, width);
            Assert.Equal(1f, row[c]);
            Assert.Equal(1f, row[..l].ToArray().Sum());
            // the kind block holds the query's kind probabilities in this candidate's slot only
            Assert.Equal(1f, row.Slice(l + c * 3, 3).ToArray().Sum(), tolerance: 1e-4f);
            Assert.Equal(1f, row.Slice(l, l * 3).ToArray().Sum(), tolerance: 1e-4f);
        }
        // predictions are relative to the catalog's mean: they sum to zero over all candidates
        for (var p = 0; p < 3; p++)
        {
            Assert.Equal(0f, all.Sum(c => phi[c * width + l + l * 3 + p]), tolerance: 1e-4f);
        }
        Assert.Contains(all, c => phi[c * width + l + l * 3] != 0f);
    }
}
