using GraphRouter.Routing.Costs;
using Xunit.Abstractions;

namespace GraphRouter.Routing.Tests.Costs;

public sealed class CostModelTests(RouterBenchFixture bench, ITestOutputHelper output) : IClassFixture<RouterBenchFixture>
{
    [Fact]
    public void The_fitted_cost_model_predicts_held_out_routerbench_costs_better_than_each_models_mean_cost()
    {
        var (train, heldOut) = CostModelEvaluation.SplitByQuery(bench.Data.Queries.Select(q => q.Id), 0.2, seed: 17);
        var trainOutcomes = bench.Data.Outcomes.Where(o => train.Contains(o.QueryId)).ToList();
        var heldOutOutcomes = bench.Data.Outcomes.Where(o => heldOut.Contains(o.QueryId)).ToList();

        var model = CostModelFitter.Fit(trainOutcomes, bench.QueryText);
        // Baseline: each model's mean training cost, whatever the prompt (one band, zero input price).
        var flat = model with { Models = model.Models.Select(m => m with { UsdPerPromptToken = 0, UsdPerAnswerToken = 1, PromptTokenEdges = [], MeanAnswerTokens = [trainOutcomes.Where(o => o.Llm == m.Model).Average(o => o.CostUsd)] }).ToList() };
        var error = CostModelEvaluation.Evaluate(model, heldOutOutcomes, bench.QueryText);
        var flatError = CostModelEvaluation.Evaluate(flat, heldOutOutcomes, bench.QueryText);

        output.WriteLine($"held-out responses {error.Samples}: MAE ${error.MeanAbsoluteErrorUsd:0.0000000} (mean cost ${error.MeanObservedUsd:0.0000000}), relative {error.RelativeAbsoluteError:0.000}, R2 {error.RSquared:0.000}");
        output.WriteLine($"per-model mean cost baseline: MAE ${flatError.MeanAbsoluteErrorUsd:0.0000000}, relative {flatError.RelativeAbsoluteError:0.000}, R2 {flatError.RSquared:0.000}");
        foreach (var m in model.Models)
        {
            output.WriteLine($"{m.Model}: ${m.UsdPerPromptToken * 1e6:0.000}/1M prompt, ${m.UsdPerAnswerToken * 1e6:0.000}/1M answer tokens, answer tokens by band [{string.Join(", ", m.MeanAnswerTokens.Select(a => a.ToString("0")))}], n={m.Samples}");
        }

        Assert.Equal(bench.Data.Llms.Count, model.Models.Count);
        Assert.Equal(heldOutOutcomes.Count, error.Samples);
        Assert.True(error.RSquared > 0.8, $"R2 {error.RSquared}");
        Assert.True(error.RelativeAbsoluteError < 0.6 * flatError.RelativeAbsoluteError, $"{error.RelativeAbsoluteError} vs flat {flatError.RelativeAbsoluteError}");
        Assert.All(model.Models, m => Assert.True(m.UsdPerPromptToken >= 0 && m.TypicalAnswerTokens > 0, m.Model));
    }

    [Fact]
    public void The_fitted_slopes_order_models_by_their_real_price()
    {
        var model = CostModelFitter.Fit(bench.Data.Outcomes, bench.QueryText);
        var slope = model.Models.ToDictionary(m => m.Model, m => m.UsdPerPromptToken);


        // GPT-4 Turbo's input price is 10x GPT-3.5 Turbo's and far above Mistral 7B's.
        Assert.True(slope["gpt-4-1106-preview"] > 5 * slope["gpt-3.5-turbo-1106"]);
        Assert.True(slope["gpt-3.5-turbo-1106"] > slope["mistralai/mistral-7b-chat"]);
        // The fit recovers GPT-4 Turbo's published prices, $10 / $30 per million input / output tokens, within 5%.
        var gpt4 = model.Find("gpt-4-1106-preview")!;
        Assert.InRange(gpt4.UsdPerPromptToken * 1e6, 9.5, 10.5);
        Assert.InRange(gpt4.UsdPerAnswerToken * 1e6, 28.5, 31.5);
        // Short prompts (code requests) get far longer answers than long few-shot multiple-choice prompts.
        Assert.True(gpt4.MeanAnswerTokens[0] > 50 * gpt4.MeanAnswerTokens[^1]);
    }

    [Fact]
    public void The_cost_model_round_trips_through_json_and_predicts_the_same()
    {
        var model = CostModelFitter.Fit(bench.Data.Outcomes, bench.QueryText);
        var query = bench.Data.Queries[5].Text;

        var copy = FittedCostModel.FromJson(model.ToJson());

        Assert.Equal(model.ToJson(), copy.ToJson());
        Assert.Equal(model.Models.Select(m => m.Model), copy.Models.Select(m => m.Model));
        Assert.Equal(CostModelFitter.TokenRule, copy.TokenRule);
        foreach (var llm in bench.Data.Llms)
        {
            Assert.Equal(model.ExpectedCostUsd(llm.Name, query), copy.ExpectedCostUsd(llm.Name, query));
        }
        Assert.Null(copy.ExpectedCostUsd("not-a-model", query));
    }

    [Fact]
    public void Fitting_is_deterministic_and_the_split_is_seeded()
    {
        var ids = bench.Data.Queries.Select(q => q.Id).ToList();
        var a = CostModelEvaluation.SplitByQuery(ids, 0.2, 3);
        var b = CostModelEvaluation.SplitByQuery(Enumerable.Reverse(ids), 0.2, 3);
        var c = CostModelEvaluation.SplitByQuery(ids, 0.2, 4);

        Assert.Equal(a.HeldOut.Order(), b.HeldOut.Order());
        Assert.NotEqual(a.HeldOut.Order(), c.HeldOut.Order());
        Assert.Empty(a.Train.Intersect(a.HeldOut));
        Assert.Equal(ids.Count, a.Train.Count + a.HeldOut.Count);
        Assert.Equal(CostModelFitter.Fit(bench.Data.Outcomes, bench.QueryText).ToJson(), CostModelFitter.Fit(bench.Data.Outcomes, bench.QueryText).ToJson());
    }

    [Fact]
    public void Registered_prices_come_first_and_the_fitted_model_covers_models_without_prices()
    {
        var fitted = CostModelFitter.Fit(bench.Data.Outcomes, bench.QueryText);
        var gpt4 = bench.Data.Llms.Single(l => l.Name == "gpt-4-1106-preview") with { InputPricePerMillion = 10, OutputPricePerMillion = 30 };
        var prices = new PriceTableCostEstimator([gpt4], fitted.Models.ToDictionary(m => m.Model, m => m.TypicalAnswerTokens), 100);
        var estimator = new FirstKnownCostEstimator(prices, fitted);
        var query = bench.Data.Queries[0].Text;

        Assert.Equal(prices.ExpectedCostUsd(gpt4.Name, query), estimator.ExpectedCostUsd(gpt4.Name, query));
        Assert.NotEqual(fitted.ExpectedCostUsd(gpt4.Name, query), estimator.ExpectedCostUsd(gpt4.Name, query));
        Assert.Equal(fitted.ExpectedCostUsd("claude-v2", query), estimator.ExpectedCostUsd("claude-v2", query));
        Assert.Null(estimator.ExpectedCostUsd("unregistered", query));
    }
}
