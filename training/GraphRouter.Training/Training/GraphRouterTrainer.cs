using GraphRouter.Core.Featurization;
using GraphRouter.Evaluation.Splits;
using GraphRouter.Training.Encoders;
using GraphRouter.Training.Graph;
using GraphRouter.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace GraphRouter.Training.Training;

/// <summary>
/// Trains GraphRouter on a split's training part with episodes ("infer the user from k, predict the
/// rest"), Adam with weight decay, and early stopping on validation pairwise accuracy (<see cref="SelectionCases"/>;
/// eval mode, no_grad). Seeded: torch and the sampler's Random both come from <see cref="TrainingConfig.Seed"/>.
/// One thread; every step in its own dispose scope.
/// </summary>
public sealed class GraphRouterTrainer
{
    private readonly TrainingConfig _config;
    private readonly Action<EpochReport>? _progress;

    public GraphRouterTrainer(TrainingConfig config, Action<EpochReport>? progress = null)
    {
        _config = config;
        _progress = progress;
    }

    public static TrainedGraphRouter Create(EvaluationSplit split, TrainingConfig config)
    {
        torch.set_num_threads(config.Threads);
        torch.manual_seed(config.Seed);
        var (encoder, outOfFold) = QueryEncoders.Create(config.Encoder, split);
        var features = new NodeFeaturizer(split.Data, encoder, ResponseStatistics.Fit(split.Data, split.TrainQueries), outOfFold);
        var model = new GraphRouterModel(config.Model, encoder.Dimension, features.Llms.Count, features.ResponseDimension, features.CandidateDimension);
        return new TrainedGraphRouter(model, features, config);
    }

    public TrainedGraphRouter Fit(EvaluationSplit split)
    {
        var router = Create(split, _config);
        router.Features.EncodeAllQueries();
        Train(router, split);
        return router;
    }

    /// <summary>Trains <paramref name="router"/> in place; it ends with its best validation weights.</summary>
    /// <param name="startCounts">
    /// The starting weights compete too (reported as epoch 0, loss NaN): for a warm start, whose starting point is
    /// already trained, so a few epochs that only make it worse on validation give the starting weights back.
    /// </param>
    public IReadOnlyList<EpochReport> Train(TrainedGraphRouter router, EvaluationSplit split, bool startCounts = false)
    {
        var sampler = new EpisodeSampler(split.Train, _config, new Random(_config.Seed));
        var validation = SelectionCases(split, _config);
        var model = router.Model;
        // AdamW: decoupled decay. Adam with L2 in the gradient divides the decay by the (tiny) gradient scale of
        // weights that do not matter yet, and drives them to zero at the learning rate: the encoder died that way.
        using var optimizer = optim.AdamW(model.parameters(), _config.LearningRate, weight_decay: _config.WeightDecay);
        // Cosine decay over the epoch budget: at a constant rate the loss climbs back after ~20 epochs (measured).
        var schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, _config.Epochs, _config.LearningRate * 0.05);
        var reports = new List<EpochReport>();
        Dictionary<string, Tensor>? best = null;
        var bestAccuracy = double.NegativeInfinity;
        var sinceBest = 0;
        try
        {
            if (startCounts)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                bestAccuracy = router.PairwiseAccuracy(validation).Accuracy;
                best = Remember(model, best);
                var start = new EpochReport(0, double.NaN, bestAccuracy, MemoryProbe.ResidentMegabytes(), clock.Elapsed.TotalSeconds, true);
                reports.Add(start);
                _progress?.Invoke(start);
            }
            for (var epoch = 1; epoch <= _config.Epochs; epoch++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                double lossSum = 0;
                for (var step = 0; step < _config.StepsPerEpoch; step++)
                {
                    lossSum += Step(router, optimizer, sampler.Next());
                }
                schedule.step();
                var accuracy = router.PairwiseAccuracy(validation).Accuracy;
                var improved = accuracy > bestAccuracy;
                if (improved)
                {
                    bestAccuracy = accuracy;
                    sinceBest = 0;
                    best = Remember(model, best);
                }
                else
                {
                    sinceBest++;
                }
                // Settle the managed heap (the per-step graph arrays) and return glibc's free pages, so the RSS
                // printed per epoch shows what is really held.
                GC.Collect();
                MemoryProbe.TrimNativeHeap();
                var report = new EpochReport(epoch, lossSum / _config.StepsPerEpoch, accuracy, MemoryProbe.ResidentMegabytes(), clock.Elapsed.TotalSeconds, improved);
                reports.Add(report);
                _progress?.Invoke(report);
                if (Environment.GetEnvironmentVariable("GRAPHROUTER_MEMORY_DETAIL") == "1")
                {
                    Console.Error.WriteLine($"epoch {epoch} memory: {MemoryProbe.Detail()}");
                }
                if (sinceBest >= _config.Patience)
                {
                    break;
                }
            }
            if (best is not null)
            {
                model.load_state_dict(best);
            }
        }
        finally
        {
            Dispose(best);
        }
        model.eval();
        return reports;
    }

    /// <summary>
    /// Validation users seen through their first k interactions. Their split targets (validation prompts
    /// after the few-shot window) are few, so the rest of their few-shot window joins them as targets:
    /// never in the graph, from users never trained on, and never on a test prompt (a fifth of those pairs
    /// were, and model selection must not see a test prompt's ratings, whoever gave them).
    /// </summary>
    public static IReadOnlyList<UserCase> ValidationCases(EvaluationSplit split, int k) =>
        split.ValidationUserCases
            .Select(c => new UserCase(
                c.User,
                c.History.Take(k).ToList(),
                c.History.Skip(k).Where(i => !split.TestQueries.Contains(i.QueryId)).Concat(c.Targets).ToList()))
            .ToList();

    /// <summary>
    /// What early stopping scores: <see cref="ValidationCases"/>, and with <see cref="TrainingConfig.SelectOnKnownUsers"/>
    /// the known users' held-out interactions on validation prompts too. Never a test prompt or a test user.
    /// </summary>
    public static IReadOnlyList<UserCase> SelectionCases(EvaluationSplit split, TrainingConfig config) =>
        config.SelectOnKnownUsers
            ? [.. ValidationCases(split, config.ValidationK), .. split.KnownUserValidationCases]
            : ValidationCases(split, config.ValidationK);

    /// <summary>One optimizer step on one episode; returns its loss.</summary>
    public static float Step(TrainedGraphRouter router, optim.Optimizer optimizer, Episode episode)
    {
        var model = router.Model;
        model.train();
        using var scope = NewDisposeScope();
        var batch = router.Rows(GraphTensors.From(router.Builder.Build(episode.Histories)), episode.Targets);
        var scores = model.call(batch);
        var loss = nn.functional.softplus(-(scores[.., 0] - scores[.., 1])).mean();
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }

    /// <summary>
    /// Copies the model's weights into <paramref name="best"/>: allocated once, on the first call, then overwritten
    /// in place, inside a dispose scope. The clone per improvement it replaces left every parameter's detached view
    /// undisposed: 100 more live tensors at each better epoch of the default config (508 -> 1208 over 40 epochs).
    /// </summary>
    private static Dictionary<string, Tensor> Remember(nn.Module model, Dictionary<string, Tensor>? best)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        if (best is null)
        {
            return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
        }
        foreach (var (name, weights) in model.state_dict())
        {
            best[name].copy_(weights);
        }
        return best;
    }

    private static void Dispose(Dictionary<string, Tensor>? state)
    {
        if (state is null)
        {
            return;
        }
        foreach (var tensor in state.Values)
        {
            tensor.Dispose();
        }
    }
}
