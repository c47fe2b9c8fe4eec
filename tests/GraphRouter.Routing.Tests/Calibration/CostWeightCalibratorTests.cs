using GraphRouter.Routing.Calibration;
using GraphRouter.Routing.Costs;
using GraphRouter.Routing.Decisions;
using Xunit.Abstractions;

namespace GraphRouter.Routing.Tests.Calibration;

public sealed class CostWeightCalibratorTests : IClassFixture<RouterBenchFixture>
{
    private readonly IReadOnlyList<CalibrationQuery> _queries;
    private readonly IReadOnlySet<string> _expensive;
    private readonly ITestOutputHelper _output;
    private readonly CostAwareDecisionRule _rule = new();

    /// <summary>
    /// Every bundled prompt, each model scored by the mean normalized rating users gave its answer to that
    /// prompt (the model's overall mean where nobody rated it), costs from the cost model fitted on the data;
    /// "expensive" are the models whose mean expected cost over the prompts is above $0.001.
    /// </summary>
    public CostWeightCalibratorTests(RouterBenchFixture bench, ITestOutputHelper output)
    {
        _output = output;
        var data = bench.Data;
        var costModel = CostModelFitter.Fit(data.Outcomes, bench.QueryText);
        var ratings = data.Interactions
            .SelectMany(i => i.Ratings.Select(r => (i.QueryId, r.Llm, Rating: data.Scale.Normalize(r.Rating))))
            .ToList();
        var perPair = ratings.GroupBy(r => (r.QueryId, r.Llm)).ToDictionary(g => g.Key, g => g.Average(r => r.Rating));
        var perModel = ratings.GroupBy(r => r.Llm).ToDictionary(g => g.Key, g => g.Average(r => r.Rating));
        _queries = data.Queries.Select(q => new CalibrationQuery
        {
            Query = q.Text,
            Candidates = data.Llms.Select(l => new CandidateEstimate
            {
                Model = l.Name,
                Score = 4 * (perPair.TryGetValue((q.Id, l.Name), out var mean) ? mean : perModel[l.Name]),
                ExpectedCostUsd = costModel.ExpectedCostUsd(l.Name, q.Text),
            }).ToList(),
        }).ToList();
        var meanCost = data.Llms.ToDictionary(l => l.Name, l => data.Queries.Average(q => costModel.ExpectedCostUsd(l.Name, q.Text)!.Value));
        _expensive = CostWeightCalibrator.ModelsPricedAbove(meanCost, 0.001);
    }

    [Fact]
    public void The_expensive_models_are_the_premium_ones()
    {
        Assert.Equal(["claude-v1", "claude-v2", "gpt-4-1106-preview"], _expensive.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.2)]
    [InlineData(0.05)]
    public void Calibration_finds_a_cost_weight_that_sends_about_the_target_share_to_expensive_models(double fractionOfShareAtZero)
    {
        var atZero = CostWeightCalibrator.ExpensiveShare(_rule, _queries, _expensive, 0);
        var target = fractionOfShareAtZero * atZero;

        var result = CostWeightCalibrator.Calibrate(_rule, _queries, _expensive, target);

        _output.WriteLine($"share at 0: {result.ShareAtZero:0.000}; target {target:0.000} -> costWeight {result.CostWeight:0.000000}, achieved {result.AchievedShare:0.0000}, {result.Evaluations} passes");
        Assert.Equal(atZero, result.ShareAtZero);
        Assert.True(result.CostWeight > 0);
        Assert.True(result.AchievedShare <= target, $"{result.AchievedShare} > {target}");
        Assert.True(result.AchievedShare >= target - 0.02, $"{result.AchievedShare} far below {target}");
        Assert.Equal(result.AchievedShare, CostWeightCalibrator.ExpensiveShare(_rule, _queries, _expensive, result.CostWeight));
        Assert.Equal(_queries.Count, result.Queries);
    }

    [Fact]
    public void A_lower_target_needs_a_higher_cost_weight_and_calibration_is_deterministic()
    {
        var atZero = CostWeightCalibrator.ExpensiveShare(_rule, _queries, _expensive, 0);

        var half = CostWeightCalibrator.Calibrate(_rule, _queries, _expensive, atZero / 2);
        var tenth = CostWeightCalibrator.Calibrate(_rule, _queries, _expensive, atZero / 10);
        var again = CostWeightCalibrator.Calibrate(_rule, _queries, _expensive, atZero / 2);

        Assert.True(tenth.CostWeight > half.CostWeight);
        Assert.Equal(half, again with { ExpensiveModels = half.ExpensiveModels });
        Assert.Equal(half.CostWeight, again.CostWeight);
    }

    [Fact]
    public void A_target_already_met_by_preference_alone_needs_no_cost_weight()
    {
        var result = CostWeightCalibrator.Calibrate(_rule, _queries, _expensive, 1.0);

        Assert.Equal(0, result.CostWeight);
        Assert.Equal(result.ShareAtZero, result.AchievedShare);
        Assert.Equal(1, result.Evaluations);
    }

    [Fact]
    public void A_target_outside_zero_to_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CostWeightCalibrator.Calibrate(_rule, _queries, _expensive, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => CostWeightCalibrator.Calibrate(_rule, _queries, _expensive, double.NaN));
    }
}
