namespace GraphRouter.Evaluation.Metrics;

/// <summary>One threshold of a strong/weak router: the share of calls sent to the strong model, the performance reached, and its PGR.</summary>
public sealed record RoutingCurvePoint(double StrongShare, double Performance, double Pgr);
