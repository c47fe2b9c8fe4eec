using GraphRouter.Core.Datasets;
using GraphRouter.Routing.Costs;

namespace GraphRouter.Routing.Tests.Costs;

public sealed class PriceTableCostEstimatorTests
{
    [Fact]
    public void Tokens_are_estimated_at_four_characters_each_rounded_up()
    {
        Assert.Equal(0, TokenEstimate.Count(""));
        Assert.Equal(1, TokenEstimate.Count("abc"));
        Assert.Equal(1, TokenEstimate.Count("abcd"));
        Assert.Equal(2, TokenEstimate.Count("abcde"));
        Assert.Equal(250, TokenEstimate.Count(new string('x', 1000)));
    }

    [Fact]
    public void Cost_is_input_tokens_times_input_price_plus_typical_answer_times_output_price_from_the_llmrouter_catalog()
    {
        var llms = QualityTableReader.Load(BundledData.LlmRouterDc).Catalog.Where(l => l.InputPricePerMillion is not null && l.OutputPricePerMillion is not null).ToList();
        Assert.NotEmpty(llms);
        var llm = llms[0];
        var estimator = new PriceTableCostEstimator(llms, new Dictionary<string, double> { [llm.Name] = 300 }, defaultAnswerTokens: 100);
        var query = new string('q', 4000); // 1000 tokens

        var cost = estimator.ExpectedCostUsd(llm.Name, query);

        Assert.Equal(((1000 * llm.InputPricePerMillion!.Value) + (300 * llm.OutputPricePerMillion!.Value)) / 1e6, cost!.Value, 15);
        if (llms.Count > 1)
        {
            var other = llms[1];
            Assert.Equal(((1000 * other.InputPricePerMillion!.Value) + (100 * other.OutputPricePerMillion!.Value)) / 1e6, estimator.ExpectedCostUsd(other.Name, query)!.Value, 15);
        }
        Assert.Null(estimator.ExpectedCostUsd("unregistered", query));
    }

    [Fact]
    public void A_model_without_prices_has_unknown_cost()
    {
        var routerbench = RouterBenchReader.Load(BundledData.RouterBench).Llms;
        var estimator = new PriceTableCostEstimator(routerbench, new Dictionary<string, double>(), 100);

        Assert.All(routerbench, l => Assert.Null(estimator.ExpectedCostUsd(l.Name, "hello")));
    }
}
