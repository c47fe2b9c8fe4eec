namespace GraphRouter.Training.Training;

/// <summary>The retraining job's part of a config (<c>"retrain"</c>): where training starts and how strict the gate is.</summary>
public sealed record RetrainSettings
{
    /// <summary>
    /// Start from the active policy's weights (its <c>model.bin</c>) instead of from scratch; the model and query
    /// encoder shapes then come from the active policy's config. <c>--warm-start</c> or a run's <c>warmStart</c> overrides it.
    /// </summary>
    public bool WarmStart { get; init; }

    /// <summary>
    /// The candidate is activated when its pairwise accuracy on the gate's held-out pairs is at least the active
    /// policy's minus this (0.005: half a point of accuracy is within the noise of ~1,200 pairs, so an equal model
    /// retrained on more data is not refused for it).
    /// </summary>
    public double GateMargin { get; init; } = 0.005;
}
