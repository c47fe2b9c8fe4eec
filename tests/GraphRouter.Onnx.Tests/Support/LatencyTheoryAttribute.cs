namespace GraphRouter.Onnx.Tests.Support;

/// <summary>
/// A theory that only runs when GRAPHROUTER_LATENCY=1: latency measurements take tens of seconds and their
/// figures mean something only on a quiet machine, so ordinary test runs skip them.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LatencyTheoryAttribute : TheoryAttribute
{
    public const string Variable = "GRAPHROUTER_LATENCY";

    public LatencyTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"Latency measurement; set {Variable}=1 to run it.";
        }
    }
}
