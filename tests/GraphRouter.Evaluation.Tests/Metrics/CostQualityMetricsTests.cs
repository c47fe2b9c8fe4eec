using GraphRouter.Evaluation.Metrics;

namespace GraphRouter.Evaluation.Tests.Metrics;

public sealed class CostQualityMetricsTests
{
    [Fact]
    public void Sweep_gives_pgr_apgr_and_cpt_by_hand()
    {
        // Four prompts. Strong is right on 0, 1, 2; weak on 2 only. perf_strong = 0.75, perf_weak = 0.25.
        // Router ranks prompt 0, then 3, then 1, then 2. Shares and performance:
        // 0: 0.25 -> PGR 0; 0.25: prompt 0 to strong: 0.5 -> 0.5; 0.5: + prompt 3 (both wrong): 0.5 -> 0.5;
        // 0.75: + prompt 1: 0.75 -> 1; 1.0: + prompt 2 (both right): 0.75 -> 1.
        var curve = CostQualityMetrics.Sweep("s", "w", [4, 2, 1, 3], [1, 1, 1, 0], [0, 0, 1, 0]);
        Assert.Equal([0, 0.25, 0.5, 0.75, 1.0], curve.Points.Select(p => p.StrongShare));
        Assert.Equal([0, 0.5, 0.5, 1, 1], curve.Points.Select(p => p.Pgr));
        // Trapezoids: 0.25*(0+0.5)/2 + 0.25*(0.5+0.5)/2 + 0.25*(0.5+1)/2 + 0.25*(1+1)/2 = 0.0625+0.125+0.1875+0.25
        Assert.Equal(0.625, curve.Apgr, 12);
        Assert.Equal(0.25, curve.Cpt50, 12);
        Assert.Equal(0.75, curve.Cpt80, 12);
        Assert.Equal(0.75, curve.StrongPerformance, 12);
        Assert.Equal(0.25, curve.WeakPerformance, 12);
    }

    [Fact]
    public void Tied_scores_switch_together_so_a_constant_router_scores_apgr_one_half()
    {
        var curve = CostQualityMetrics.Sweep("s", "w", [1, 1, 1, 1], [1, 1, 0, 1], [0, 0, 0, 1]);
        Assert.Equal(2, curve.Points.Count);
        Assert.Equal(0.5, curve.Apgr, 12);
        Assert.Equal(1.0, curve.Cpt50, 12);
    }

    [Fact]
    public void Lambda_sweep_trades_performance_for_cost()
    {
        // Two prompts, two models: model 0 better and dearer.
        double[][] predicted = [[0.9, 0.5], [0.8, 0.6]];
        double[][] cost = [[10, 1], [10, 1]];
        double[][] performance = [[1, 0], [1, 1]];
        var points = CostQualityMetrics.LambdaSweep(predicted, cost, performance, [0, 0.03, 1]);
        Assert.Equal(10, points[0].MeanCostUsd, 12);
        Assert.Equal(1, points[0].Performance, 12);
        // lambda 0.03: prompt 0 keeps model 0 (0.9-0.3 > 0.5-0.03), prompt 1 switches (0.8-0.3 < 0.6-0.03).
        Assert.Equal(5.5, points[1].MeanCostUsd, 12);
        Assert.Equal(1, points[1].Performance, 12);
        Assert.Equal(1, points[2].MeanCostUsd, 12);
        Assert.Equal(0.5, points[2].Performance, 12);
    }
}
