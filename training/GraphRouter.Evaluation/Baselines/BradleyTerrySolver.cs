namespace GraphRouter.Evaluation.Baselines;

/// <summary>
/// Bradley-Terry strengths by Newton's method: minimizes sum softplus(-(s_w - s_l)) + l2/2 |s - prior|^2
/// (MAP under a Gaussian prior; with prior 0 and a small l2, the usual Elo-style MLE kept finite).
/// </summary>
internal static class BradleyTerrySolver
{
    public static double[] Fit(int llms, IReadOnlyList<(int Winner, int Loser)> pairs, double[] prior, double l2, int iterations = 25)
    {
        var s = (double[])prior.Clone();
        for (var it = 0; it < iterations; it++)
        {
            var gradient = new double[llms];
            var hessian = new double[llms * llms];
            for (var k = 0; k < llms; k++)
            {
                gradient[k] = l2 * (s[k] - prior[k]);
                hessian[k * llms + k] = l2;
            }
            foreach (var (w, l) in pairs)
            {
                var p = DenseMath.Sigmoid(s[w] - s[l]);
                var g = -(1 - p);
                gradient[w] += g;
                gradient[l] -= g;
                var h = p * (1 - p);
                hessian[w * llms + w] += h;
                hessian[l * llms + l] += h;
                hessian[w * llms + l] -= h;
                hessian[l * llms + w] -= h;
            }
            var step = DenseMath.SolveSpd(hessian, gradient, llms);
            var size = 0.0;
            for (var k = 0; k < llms; k++)
            {
                s[k] -= step[k];
                size = Math.Max(size, Math.Abs(step[k]));
            }
            if (size < 1e-8)
            {
                break;
            }
        }
        return s;
    }
}
