namespace GraphRouter.Evaluation.Harness;

/// <summary>How the harness runs. The same options and split give the same numbers.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Seed handed to every trainer's Fit and to the bootstrap.</summary>
    public int Seed { get; init; } = 17;
    /// <summary>The few-shot k whose new-user figures are the headline columns (GraphRouter's target is stated at k = 10).</summary>
    public int HeadlineK { get; init; } = 10;
    /// <summary>User-level bootstrap resamples for standard errors.</summary>
    public int BootstrapResamples { get; init; } = 200;
    /// <summary>Strong model of the routerbench strong/weak routing curve.</summary>
    public string RouterBenchStrong { get; init; } = "gpt-4-1106-preview";
    /// <summary>Weak model of that curve; null: the cheapest LLM by mean cost per response.</summary>
    public string? RouterBenchWeak { get; init; }
}
