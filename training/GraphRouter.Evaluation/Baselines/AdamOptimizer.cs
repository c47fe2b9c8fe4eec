namespace GraphRouter.Evaluation.Baselines;

/// <summary>Adam over one flat parameter array (the baselines keep each parameter group in one array).</summary>
internal sealed class AdamOptimizer
{
    private readonly float[] _m;
    private readonly float[] _v;
    private readonly double _learningRate;
    private int _step;

    public AdamOptimizer(int size, double learningRate)
    {
        _m = new float[size];
        _v = new float[size];
        _learningRate = learningRate;
    }

    /// <summary>One step: parameters -= lr * mhat / (sqrt(vhat) + eps), with plain L2 <paramref name="weightDecay"/> added to the gradient.</summary>
    public void Step(float[] parameters, float[] gradient, double weightDecay = 0)
    {
        _step++;
        const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
        var c1 = 1 - Math.Pow(beta1, _step);
        var c2 = 1 - Math.Pow(beta2, _step);
        for (var i = 0; i < parameters.Length; i++)
        {
            var g = gradient[i] + weightDecay * parameters[i];
            _m[i] = (float)(beta1 * _m[i] + (1 - beta1) * g);
            _v[i] = (float)(beta2 * _v[i] + (1 - beta2) * g * g);
            parameters[i] -= (float)(_learningRate * (_m[i] / c1) / (Math.Sqrt(_v[i] / c2) + eps));
        }
    }
}
