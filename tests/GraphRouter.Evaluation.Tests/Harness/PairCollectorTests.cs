using GraphRouter.Core.Domain;
using GraphRouter.Evaluation.Baselines;
using GraphRouter.Evaluation.Harness;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.Tests.Harness;

public sealed class PairCollectorTests
{
    [Fact]
    public void Pairs_keep_rating_list_order_and_skip_ties()
    {
        var data = TestData.RouterBench;
        var query = data.Queries[0].Id;
        var llms = data.Outcomes.Where(o => o.QueryId == query).Select(o => o.Llm).Take(3).ToList();
        var target = new Interaction
        {
            User = "t",
            Conversation = "t-c0",
            Step = 0,
            Timestamp = DateTimeOffset.UnixEpoch,
            QueryId = query,
            Ratings = [new RatedLlm(llms[0], 3), new RatedLlm(llms[1], 7), new RatedLlm(llms[2], 3)],
        };
        // A fixed-score router: llms[0] = 2, llms[1] = 1, llms[2] = 0.
        var model = new StaticScoreModel("fixed", new Dictionary<string, double> { [llms[0]] = 2, [llms[1]] = 1, [llms[2]] = 0 });
        var pairs = PairCollector.Collect(model, data, [new UserCase("t", [], [target])]);
        // (0,1): label 3>7 false, margin 1; (0,2) tied: skipped; (1,2): label true, margin 1.
        Assert.Equal(2, pairs.Count);
        Assert.Equal((1.0, false), (pairs[0].Margin, pairs[0].FirstPreferred));
        Assert.Equal((1.0, true), (pairs[1].Margin, pairs[1].FirstPreferred));
    }
}
