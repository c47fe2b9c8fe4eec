using GraphRouter.Core.Domain;
using GraphRouter.Training.Graph;
using GraphRouter.Training.Model;
using GraphRouter.Training.Training;
using static TorchSharp.torch;

namespace GraphRouter.Training.Tests;

public sealed class ModelShapeTests(RouterBenchSlice slice) : IClassFixture<RouterBenchSlice>
{
    [Fact]
    public void Every_module_returns_the_documented_shape()
    {
        using var router = GraphRouterTrainer.Create(slice.Split, RouterBenchSlice.SmallConfig);
        var histories = slice.Split.Train.GroupBy(i => i.User).Take(5).Select(g => (IReadOnlyList<Interaction>)g.Take(4).ToList()).ToList();
        var episode = new Episode(histories, histories.SelectMany((h, u) => h.SelectMany(i => i.Pairs()).Take(2).Select(p => new EpisodeTarget(u, p))).ToList());
        var batch = router.Builder.Build(histories);
        Assert.Equal(5, batch.UserCount);
        Assert.Equal(20, batch.QueryCount);
        Assert.Equal(histories.Sum(h => h.Sum(i => i.Ratings.Count)), batch.TurnCount);
        Assert.All(GraphSchema.Relations, r => Assert.Equal(batch.TurnCount, batch.Edges[GraphSchema.IndexOf(r)].Count));

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var graph = GraphTensors.From(batch);
        var users = router.Model.EncodeUsers(graph);
        Assert.Equal(new long[] { 5, 16 }, users.shape);

        var rows = router.Rows(graph, episode.Targets);
        var scores = router.Model.call(rows);
        Assert.Equal(new long[] { episode.Targets.Count, 2 }, scores.shape);

        var all = router.Features.Llms.Select((_, i) => (long)i).ToArray();
        // φ(llm, q) on routerbench: 11 one-hot + 11 x 3 kinds + 3 predictions; a Response row adds 6 rating/answer features.
        Assert.Equal(11 + 11 * 3 + 3, router.Features.CandidateDimension);
        Assert.Equal(6 + router.Features.CandidateDimension, batch.ResponseDimension);
        Assert.Equal(new long[] { 5, batch.ResponseDimension }, graph.UserStatistics.shape);
        Assert.Equal(new long[] { episode.Targets.Count, 2, router.Features.CandidateDimension }, rows.CandidateFeatures.shape);
        var phi = new float[all.Length * router.Features.CandidateDimension];
        router.Features.WriteCandidates(histories[0][0].QueryId, all.Select(i => (int)i).ToArray(), phi);
        var many = router.Model.ScoreCandidates(users[..3], rows.RowQueries[..3], tensor(all).repeat(3, 1), tensor(phi, [1, all.Length, router.Features.CandidateDimension]).repeat(3, 1, 1));
        Assert.Equal(new long[] { 3, all.Length }, many.shape);
        Assert.True(isfinite(many).all().item<bool>());

        var scorer = new PreferenceScorer("scorer", 16, 8, 8, 32, 4, 0.0);
        Assert.Equal(new long[] { 7, 5 }, scorer.call(randn(7, 16), randn(7, 8), randn(7, 5, 8)).shape);
    }
}
