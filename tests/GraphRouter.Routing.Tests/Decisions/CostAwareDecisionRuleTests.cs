using GraphRouter.Routing.Decisions;
using Xunit.Abstractions;

namespace GraphRouter.Routing.Tests.Decisions;

public sealed class CostAwareDecisionRuleTests(ITestOutputHelper output)
{
    private static readonly DecisionContext Known = new() { PolicyVersion = "v7", UserKnown = true, UserInteractions = 12 };
    private readonly CostAwareDecisionRule _rule = new();

    // Names and prices of three routerbench models; scores chosen so the dear model is the favourite.
    private static List<CandidateEstimate> Three(bool gpt4Available = true) =>
    [
        new() { Model = "gpt-4-1106-preview", Score = 2.0, ExpectedCostUsd = 0.0053, Available = gpt4Available },
        new() { Model = "gpt-3.5-turbo-1106", Score = 1.5, ExpectedCostUsd = 0.0005 },
        new() { Model = "mistralai/mistral-7b-chat", Score = 0.5, ExpectedCostUsd = 0.0001 },
    ];

    private static RouteRequest Request(double costWeight = 0, double? maxCost = null, IReadOnlyList<string>? candidates = null) =>
        new() { Query = "Which planet is largest?", CostWeight = costWeight, MaxCostUsd = maxCost, Candidates = candidates };

    [Fact]
    public void Zero_cost_weight_picks_the_highest_score_and_probabilities_are_the_softmax()
    {
        var decision = _rule.Decide(Request(), Three(), Known);

        Assert.Equal("gpt-4-1106-preview", decision.Model);
        Assert.Equal(["gpt-4-1106-preview", "gpt-3.5-turbo-1106", "mistralai/mistral-7b-chat"], decision.Ranking.Select(s => s.Model));
        var z = Math.Exp(2.0) + Math.Exp(1.5) + Math.Exp(0.5);
        Assert.Equal(Math.Exp(2.0) / z, decision.Ranking[0].Probability, 12);
        Assert.Equal(Math.Exp(0.5) / z, decision.Ranking[2].Probability, 12);
        Assert.Equal(1.0, decision.Ranking.Sum(s => s.Probability), 12);
        Assert.All(decision.Ranking, s => Assert.Equal(s.Probability, s.Utility, 12));
        Assert.Equal("v7", decision.PolicyVersion);
        Assert.True(decision.UserKnown);
        Assert.Equal(12, decision.UserInteractions);
        Assert.Empty(decision.FallbackFrom);
        Assert.Contains("12 interactions", decision.Explanation, StringComparison.Ordinal);
        Assert.Contains("preference alone decides", decision.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Utility_is_probability_minus_cost_weight_times_cost_and_a_high_weight_prefers_the_cheaper_model()
    {
        var decision = _rule.Decide(Request(costWeight: 100), Three(gpt4Available: true), Known);
        output.WriteLine(decision.Explanation);

        foreach (var s in decision.Ranking)
        {
            Assert.Equal(s.Probability - (100 * s.ExpectedCostUsd!.Value), s.Utility, 12);
        }
        // p(gpt-4) ~ 0.55, p(gpt-3.5) ~ 0.33: 0.55 - 0.53 < 0.33 - 0.05.
        Assert.Equal("gpt-3.5-turbo-1106", decision.Model);
        Assert.True(decision.Ranking[0].Utility >= decision.Ranking[1].Utility);
        Assert.Contains("beating the most preferred gpt-4-1106-preview", decision.Explanation, StringComparison.Ordinal);
        Assert.Contains("100 x $0.0005", decision.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Quality_is_the_probability_so_shifting_every_score_changes_nothing_but_scaling_them_does()
    {
        var shifted = Three().Select(c => c with { Score = c.Score + 40 }).ToList();
        var scaled = Three().Select(c => c with { Score = c.Score * 10 }).ToList();

        var baseline = _rule.Decide(Request(costWeight: 100), Three(), Known);
        var afterShift = _rule.Decide(Request(costWeight: 100), shifted, Known);
        var afterScale = _rule.Decide(Request(costWeight: 100), scaled, Known);

        Assert.Equal(baseline.Ranking.Select(s => s.Utility), afterShift.Ranking.Select(s => s.Utility), new ToleranceComparer(1e-12));
        Assert.Equal("gpt-3.5-turbo-1106", afterShift.Model);
        // Sharper scores make gpt-4 near certain (p ~ 0.993): its preference now outweighs its price.
        Assert.Equal("gpt-4-1106-preview", afterScale.Model);
    }

    [Fact]
    public void Max_cost_excludes_dearer_models_and_says_so()
    {
        var decision = _rule.Decide(Request(maxCost: 0.001), Three(), Known);

        Assert.Equal("gpt-3.5-turbo-1106", decision.Model);
        Assert.DoesNotContain(decision.Ranking, s => s.Model == "gpt-4-1106-preview");
        Assert.Equal(["gpt-4-1106-preview"], decision.ExcludedByCost);
        Assert.Empty(decision.FallbackFrom);
        Assert.Equal(1.0, decision.Ranking.Sum(s => s.Probability), 12);
        Assert.Contains("excluded over maxCostUsd $0.001: gpt-4-1106-preview", decision.Explanation, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_unavailable_better_model_is_skipped_and_reported_as_the_fallback_source()
    {
        var decision = _rule.Decide(Request(), Three(gpt4Available: false), Known);
        output.WriteLine(decision.Explanation);

        Assert.Equal("gpt-3.5-turbo-1106", decision.Model);
        Assert.Equal(["gpt-4-1106-preview"], decision.FallbackFrom);
        Assert.Equal(2, decision.Ranking.Count);
        Assert.Contains("fell back from unavailable gpt-4-1106-preview", decision.Explanation, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_unavailable_model_that_would_have_ranked_lower_is_not_a_fallback_source()
    {
        var candidates = Three();
        candidates[2] = candidates[2] with { Available = false };

        var decision = _rule.Decide(Request(), candidates, Known);

        Assert.Equal("gpt-4-1106-preview", decision.Model);
        Assert.Empty(decision.FallbackFrom);
    }

    [Fact]
    public void Requested_candidates_restrict_the_set_and_duplicates_count_once()
    {
        var decision = _rule.Decide(Request(candidates: ["mistralai/mistral-7b-chat", "gpt-3.5-turbo-1106", "gpt-3.5-turbo-1106"]), Three(), Known);

        Assert.Equal("gpt-3.5-turbo-1106", decision.Model);
        Assert.Equal(2, decision.Ranking.Count);
    }

    [Fact]
    public void Ties_break_by_score_then_cost_then_name_whatever_the_input_order()
    {
        List<CandidateEstimate> tied =
        [
            new() { Model = "b", Score = 1, ExpectedCostUsd = 0.002 },
            new() { Model = "c", Score = 1, ExpectedCostUsd = null },
            new() { Model = "a", Score = 1, ExpectedCostUsd = 0.002 },
            new() { Model = "d", Score = 1, ExpectedCostUsd = 0.001 },
        ];

        var forward = _rule.Decide(Request(), tied, Known);
        tied.Reverse();
        var backward = _rule.Decide(Request(), tied, Known);

        Assert.Equal(["d", "a", "b", "c"], forward.Ranking.Select(s => s.Model));
        Assert.Equal(forward.Ranking.Select(s => s.Model), backward.Ranking.Select(s => s.Model));
    }

    [Fact]
    public void Unknown_cost_counts_as_zero_and_the_explanation_says_so()
    {
        List<CandidateEstimate> candidates =
        [
            new() { Model = "priced", Score = 1, ExpectedCostUsd = 0.01 },
            new() { Model = "unpriced", Score = 1, ExpectedCostUsd = null },
        ];

        var decision = _rule.Decide(Request(costWeight: 10, maxCost: 0.005), candidates, Known);
        output.WriteLine(decision.Explanation);

        Assert.Equal("unpriced", decision.Model);
        Assert.Equal(["priced"], decision.ExcludedByCost);
        Assert.Null(decision.Ranking[0].ExpectedCostUsd);
        Assert.Contains("cost unknown (counted as $0): unpriced", decision.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_user_is_described_as_cold_start()
    {
        var decision = _rule.Decide(Request(), Three(), new DecisionContext { PolicyVersion = "v1", UserKnown = false, UserInteractions = 0 });

        Assert.False(decision.UserKnown);
        Assert.StartsWith("For a new user (cold-start prior)", decision.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 0.0, null)]
    [InlineData("   ", 0.0, null)]
    [InlineData("q", double.NaN, null)]
    [InlineData("q", -0.5, null)]
    [InlineData("q", double.PositiveInfinity, null)]
    [InlineData("q", 1.0, double.NaN)]
    [InlineData("q", 1.0, -1.0)]
    public void Bad_requests_are_bad_user_input(string query, double costWeight, double? maxCost)
    {
        var request = new RouteRequest { Query = query, CostWeight = costWeight, MaxCostUsd = maxCost };

        var error = Assert.Throws<RoutingException>(() => _rule.Decide(request, Three(), Known));

        Assert.Equal(RoutingErrorCode.BadUserInput, error.Code);
    }

    [Fact]
    public void An_unknown_requested_model_is_bad_user_input_naming_it()
    {
        var error = Assert.Throws<RoutingException>(() => _rule.Decide(Request(candidates: ["gpt-3.5-turbo-1106", "gpt-5"]), Three(), Known));

        Assert.Equal(RoutingErrorCode.BadUserInput, error.Code);
        Assert.Contains("gpt-5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_candidate_left_is_no_candidates()
    {
        var allDown = Three().Select(c => c with { Available = false }).ToList();

        var unavailable = Assert.Throws<RoutingException>(() => _rule.Decide(Request(), allDown, Known));
        var tooDear = Assert.Throws<RoutingException>(() => _rule.Decide(Request(maxCost: 0.00001), Three(), Known));

        Assert.Equal(RoutingErrorCode.NoCandidates, unavailable.Code);
        Assert.Contains("3 unavailable", unavailable.Message, StringComparison.Ordinal);
        Assert.Equal(RoutingErrorCode.NoCandidates, tooDear.Code);
        Assert.Contains("3 over maxCostUsd", tooDear.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extreme_scores_do_not_overflow_the_softmax()
    {
        List<CandidateEstimate> extreme =
        [
            new() { Model = "a", Score = 800, ExpectedCostUsd = 0 },
            new() { Model = "b", Score = -800, ExpectedCostUsd = 0 },
        ];

        var decision = _rule.Decide(Request(), extreme, Known);

        Assert.Equal(1.0, decision.Ranking[0].Probability, 12);
        Assert.All(decision.Ranking, s => Assert.True(double.IsFinite(s.Utility)));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
