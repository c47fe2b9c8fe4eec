namespace GraphRouter.Evaluation.Metrics;

/// <summary>RouteLLM's cost-quality summary of a strong/weak router over a threshold sweep.</summary>
public sealed record RoutingCurve
{
    public required string Strong { get; init; }
    public required string Weak { get; init; }
    public required double StrongPerformance { get; init; }
    public required double WeakPerformance { get; init; }
    /// <summary>From all-weak (share 0) to all-strong (share 1).</summary>
    public required IReadOnlyList<RoutingCurvePoint> Points { get; init; }
    /// <summary>Area under PGR over the strong-call share on [0, 1] (trapezoid).</summary>
    public required double Apgr { get; init; }
    /// <summary>Smallest strong-call share reaching PGR 0.5 (NaN if never).</summary>
    public required double Cpt50 { get; init; }
    /// <summary>Smallest strong-call share reaching PGR 0.8 (NaN if never).</summary>
    public required double Cpt80 { get; init; }
}
