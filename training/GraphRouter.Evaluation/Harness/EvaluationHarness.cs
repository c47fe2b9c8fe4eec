using System.Diagnostics;
using GraphRouter.Core.Datasets;
using GraphRouter.Core.Featurization;
using GraphRouter.Evaluation.Metrics;
using GraphRouter.Evaluation.QualityRouting;
using GraphRouter.Evaluation.Routers;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.Harness;

/// <summary>
/// Fits each trainer on the split's training part and scores the fitted model on the same held-out cases:
/// new users at every few-shot k, known users on their latest interactions, and cost-quality routing on the
/// test prompts; optionally the quality-table routers as well.
/// </summary>
public static class EvaluationHarness
{
    public static EvaluationReport Run(
        EvaluationSplit split,
        IReadOnlyList<IPreferenceModelTrainer> trainers,
        QualityTable? qualityTable = null,
        EvaluationOptions? options = null,
        IProgress<string>? progress = null,
        IQueryEncoder? qualityTableEncoder = null)
    {
        options ??= new EvaluationOptions();
        var summary = Summarize(split);
        progress?.Report($"split: {summary.TrainInteractions} training interactions ({summary.TrainPairs} pairs) from {summary.KnownUsers} known users on {summary.TrainQueries} prompts; {summary.NewUsers} new users, {summary.ValidationUsers} validation users, {summary.TestQueries} test prompts");
        var results = new List<RouterResult>();
        foreach (var trainer in trainers)
        {
            progress?.Report($"{trainer.Name}: fitting");
            var watch = Stopwatch.StartNew();
            var model = trainer.Fit(split, options.Seed);
            var fitSeconds = watch.Elapsed.TotalSeconds;
            var result = Evaluate(model, split, options, fitSeconds) with { Router = trainer.Name };
            results.Add(result);
            progress?.Report($"{trainer.Name}: acc@{options.HeadlineK} {result.Accuracy:F4} ± {result.AccuracyStandardError:F4}, AUC {result.Auc:F4}, user AUC {result.MeanUserAuc:F4}, known {result.KnownUserAccuracy:F4}, APGR {result.Routing?.Apgr:F3} (fit {fitSeconds:F1} s, eval {result.EvalSeconds:F1} s)");
        }
        IReadOnlyList<QualityRouterResult> quality = [];
        string? encoderName = null;
        if (qualityTable is not null)
        {
            var encoder = qualityTableEncoder ?? new HashedNgramEncoder();
            encoderName = encoder.Name;
            quality = QualityTableEvaluation.Run(qualityTable, encoder, options.Seed, progress);
        }
        return new EvaluationReport
        {
            Dataset = split.Data.Name,
            Options = options,
            Split = summary,
            Routers = results,
            QualityTable = quality,
            QualityTableEncoder = encoderName,
        };
    }

    /// <summary>Scores an already fitted model (its Fit time is passed through for the report).</summary>
    public static RouterResult Evaluate(IPreferenceModel model, EvaluationSplit split, EvaluationOptions? options = null, double fitSeconds = 0)
    {
        options ??= new EvaluationOptions();
        var watch = Stopwatch.StartNew();
        var data = split.Data;
        var fewShot = new List<FewShotPoint>();
        List<ScoredPair>? headline = null;
        var ks = split.Config.FewShotKs.Contains(options.HeadlineK) ? split.Config.FewShotKs : [.. split.Config.FewShotKs, options.HeadlineK];
        foreach (var k in ks.Distinct().Order())
        {
            var pairs = PairCollector.Collect(model, data, split.NewUserCases, k);
            if (k == options.HeadlineK)
            {
                headline = pairs;
            }
            if (!split.Config.FewShotKs.Contains(k))
            {
                continue;
            }
            fewShot.Add(new FewShotPoint
            {
                K = k,
                Accuracy = PairwiseMetrics.Accuracy(pairs),
                StandardError = StandardErrors.UserBootstrap(pairs, options.BootstrapResamples, options.Seed),
                Auc = PairwiseMetrics.Auc(pairs),
                MeanUserAuc = PairwiseMetrics.MeanPerUserAuc(pairs),
                Pairs = pairs.Count,
            });
        }
        headline ??= [];
        var known = PairCollector.Collect(model, data, split.KnownUserCases);
        var (routing, costQuality) = RouteOnTestPrompts(model, split, options);
        var accuracy = PairwiseMetrics.Accuracy(headline);
        var knownAccuracy = PairwiseMetrics.Accuracy(known);
        return new RouterResult
        {
            Router = model.Name,
            FitSeconds = fitSeconds,
            EvalSeconds = watch.Elapsed.TotalSeconds,
            Accuracy = accuracy,
            AccuracyStandardError = StandardErrors.UserBootstrap(headline, options.BootstrapResamples, options.Seed),
            BinomialStandardError = StandardErrors.Binomial(accuracy, headline.Count),
            Auc = PairwiseMetrics.Auc(headline),
            MeanUserAuc = PairwiseMetrics.MeanPerUserAuc(headline),
            Pairs = headline.Count,
            UserAuc = PairwiseMetrics.PerUserAuc(headline),
            FewShot = fewShot,
            KnownUserAccuracy = knownAccuracy,
            KnownUserStandardError = StandardErrors.UserBootstrap(known, options.BootstrapResamples, options.Seed),
            KnownUserAuc = PairwiseMetrics.Auc(known),
            KnownUserPairs = known.Count,
            Routing = routing,
            CostQuality = costQuality,
        };
    }

    /// <summary>
    /// RouteLLM's strong/weak curve and the multi-model cost-quality sweep over the test prompts, from the
    /// model's cold-start (k = 0) scores. Performance is the chosen response's correctness; expected cost is
    /// each LLM's mean cost on the training prompts. Null when the dataset has no outcomes for these prompts.
    /// </summary>
    public static (RoutingCurve? Routing, IReadOnlyList<CostQualityPoint>? CostQuality) RouteOnTestPrompts(IPreferenceModel model, EvaluationSplit split, EvaluationOptions options)
    {
        var data = split.Data;
        var llms = data.Llms.Select(l => l.Name).ToList();
        var meanCost = data.Outcomes.Where(o => split.TrainQueries.Contains(o.QueryId))
            .GroupBy(o => o.Llm, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Average(o => o.CostUsd), StringComparer.Ordinal);
        if (!llms.Contains(options.RouterBenchStrong) || llms.Any(l => !meanCost.ContainsKey(l)))
        {
            return (null, null);
        }
        var weak = options.RouterBenchWeak ?? llms.OrderBy(l => meanCost[l]).ThenBy(l => l, StringComparer.Ordinal).First();
        var prompts = split.TestQueries.Order(StringComparer.Ordinal)
            .Where(q => llms.All(l => data.TryGetOutcome(q, l, out _)))
            .ToList();
        if (prompts.Count == 0)
        {
            return (null, null);
        }
        var state = model.Observe("", []);
        var strongIndex = llms.IndexOf(options.RouterBenchStrong);
        var weakIndex = llms.IndexOf(weak);
        var predicted = prompts.Select(q => model.Score(state, data.Query(q), llms)).ToList();
        var performance = prompts.Select(q => llms.Select(l => data.Outcome(q, l).Score).ToArray()).ToList();
        var cost = prompts.Select(_ => llms.Select(l => meanCost[l]).ToArray()).ToList();
        var routing = CostQualityMetrics.Sweep(options.RouterBenchStrong, weak,
            predicted.Select(p => p[strongIndex] - p[weakIndex]).ToList(),
            performance.Select(p => p[strongIndex]).ToList(),
            performance.Select(p => p[weakIndex]).ToList());
        var averageCost = meanCost.Values.Average();
        var curve = CostQualityMetrics.LambdaSweep(predicted, cost, performance, QualityTableEvaluation.LambdaGrid(1 / averageCost));
        return (routing, curve);
    }

    public static SplitSummary Summarize(EvaluationSplit split) => new()
    {
        Seed = split.Config.Seed,
        TrainQueries = split.TrainQueries.Count,
        ValidationQueries = split.ValidationQueries.Count,
        TestQueries = split.TestQueries.Count,
        KnownUsers = split.KnownUsers.Count,
        ValidationUsers = split.ValidationUsers.Count,
        NewUsers = split.NewUsers.Count,
        TrainInteractions = split.Train.Count,
        TrainPairs = split.Train.Sum(i => i.Pairs().Count()),
        FewShotKs = split.Config.FewShotKs,
    };
}
