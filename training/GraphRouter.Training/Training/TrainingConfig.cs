using GraphRouter.Training.Encoders;
using GraphRouter.Training.Model;

namespace GraphRouter.Training.Training;

/// <summary>Everything a training run depends on; the same config gives the same model and metrics.</summary>
public sealed record TrainingConfig
{
    public int Seed { get; init; } = 7;
    /// <summary>libtorch intra-op threads. 1 by default: on a shared 2-core machine, 2 OpenMP threads spin against each other and run a step ~10x slower (measured).</summary>
    public int Threads { get; init; } = 1;
    public QueryEncoderOptions Encoder { get; init; } = new();
    public HgtOptions Model { get; init; } = new();
    public int Epochs { get; init; } = 30;
    public int StepsPerEpoch { get; init; } = 80;
    /// <summary>Training users per step, each with their own sampled graph.</summary>
    public int UsersPerStep { get; init; } = 32;
    /// <summary>Held-out pairs scored per user per step.</summary>
    public int TargetPairsPerUser { get; init; } = 8;
    /// <summary>The default number of visible interactions k of an episode.</summary>
    public int VisibleInteractions { get; init; } = 10;
    /// <summary>Few-shot episodes draw k uniformly from 0..MaxFewShot.</summary>
    public int MaxFewShot { get; init; } = 20;
    /// <summary>Share of episodes that use exactly <see cref="VisibleInteractions"/>.</summary>
    public double DefaultKShare { get; init; } = 0.3;
    /// <summary>Share of episodes that show a long history (k up to all but one interaction), like known users.</summary>
    public double LongHistoryShare { get; init; } = 0.2;
    public double LearningRate { get; init; } = 4e-3;
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Epochs without a better validation accuracy before stopping.</summary>
    public int Patience { get; init; } = 10;
    /// <summary>At most this many latest interactions form a user's graph.</summary>
    public int HistoryWindow { get; init; } = 200;
    /// <summary>Validation users' k.</summary>
    public int ValidationK { get; init; } = 10;
    /// <summary>
    /// Early stopping also scores the known users' held-out interactions on validation prompts (the signal the
    /// baselines tune on), not only the validation users at <see cref="ValidationK"/>: more pairs, so the best
    /// epoch is picked with less noise, and known users count in it.
    /// </summary>
    public bool SelectOnKnownUsers { get; init; }
    /// <summary>
    /// Permutes the ratings within each training interaction (seeded by <see cref="Seed"/>) before training, so the
    /// model learns from ratings that no longer say which answer the user preferred: a deliberately worse candidate,
    /// for exercising the retraining gate. Validation, the manifest's metrics and the gate keep the real ratings.
    /// </summary>
    public bool ShuffleRatings { get; init; }
    /// <summary>How <c>graphrouter-train retrain</c> trains and judges a candidate (ignored by train, eval and export).</summary>
    public RetrainSettings Retrain { get; init; } = new();
}
