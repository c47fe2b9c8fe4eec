using GraphRouter.Core.Datasets;
using GraphRouter.Core.Domain;
using GraphRouter.Evaluation.Routers;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>
/// s(u, q, m) = b_m + a_m·(P x_q) + u·v_m. A user's u is the MAP estimate from their visible history under
/// the prior learned from the training users (precision scaled by <see cref="PriorScale"/>), by Newton's method;
/// with no history, u is the prior mean.
/// </summary>
internal sealed class FactorPreferenceModel : IPreferenceModel
{
    private readonly FactorParameters _p;
    private readonly UserFactorPrior _prior;
    private readonly LlmIndex _llms;
    private readonly PreferenceDataset _data;
    private readonly QueryFeatureCache _features;
    private readonly Dictionary<string, float[]> _codes = new(StringComparer.Ordinal);

    public FactorPreferenceModel(string name, FactorParameters parameters, UserFactorPrior prior, double priorScale,
        LlmIndex llms, PreferenceDataset data, QueryFeatureCache features, FactorSettings settings)
    {
        Name = name;
        _p = parameters;
        _prior = prior;
        PriorScale = priorScale;
        _llms = llms;
        _data = data;
        _features = features;
        Settings = settings;
    }

    public string Name { get; }

    public double PriorScale { get; }

    public FactorSettings Settings { get; }

    public FactorPreferenceModel WithPriorScale(double scale) => new(Name, _p, _prior, scale, _llms, _data, _features, Settings);

    public IUserState Observe(string userId, IReadOnlyList<Interaction> history)
    {
        var r = _p.Rank;
        var u = (double[])_prior.Mean.Clone();
        if (r == 0)
        {
            return new LatentUserState(u, history.Count);
        }
        var rows = new List<(double Offset, double[] X)>();
        foreach (var interaction in history)
        {
            var z = Code(interaction.QueryId, null);
            foreach (var pair in interaction.Pairs())
            {
                if (!_llms.TryGet(pair.Winner, out var w) || !_llms.TryGet(pair.Loser, out var l))
                {
                    continue;
                }
                var x = new double[r];
                var xl = new double[r];
                _p.Item(w, z, x);
                _p.Item(l, z, xl);
                for (var k = 0; k < r; k++)
                {
                    x[k] -= xl[k];
                }
                rows.Add((_p.Fixed(w, z) - _p.Fixed(l, z), x));
            }
        }
        if (rows.Count == 0)
        {
            return new LatentUserState(u, history.Count);
        }
        for (var it = 0; it < 12; it++)
        {
            var gradient = new double[r];
            var hessian = new double[r * r];
            for (var a = 0; a < r; a++)
            {
                for (var b = 0; b < r; b++)
                {
                    var lambda = PriorScale * _prior.Precision[a * r + b];
                    gradient[a] += lambda * (u[b] - _prior.Mean[b]);
                    hessian[a * r + b] = lambda;
                }
            }
            foreach (var (offset, x) in rows)
            {
                var margin = offset;
                for (var k = 0; k < r; k++)
                {
                    margin += u[k] * x[k];
                }
                var s = DenseMath.Sigmoid(margin);
                var g = -(1 - s);
                var h = s * (1 - s);
                for (var a = 0; a < r; a++)
                {
                    gradient[a] += g * x[a];
                    for (var b = 0; b < r; b++)
                    {
                        hessian[a * r + b] += h * x[a] * x[b];
                    }
                }
            }
            var step = DenseMath.SolveSpd(hessian, gradient, r);
            var size = 0.0;
            for (var k = 0; k < r; k++)
            {
                u[k] -= step[k];
                size = Math.Max(size, Math.Abs(step[k]));
            }
            if (size < 1e-6)
            {
                break;
            }
        }
        return new LatentUserState(u, history.Count);
    }

    public double[] Score(IUserState user, QueryInfo query, IReadOnlyList<string> llms)
    {
        var u = user is LatentUserState s ? s.Factors : _prior.Mean;
        var z = Code(query.Id, query.Text);
        var result = new double[llms.Count];
        var v = new double[_p.Rank];
        for (var i = 0; i < llms.Count; i++)
        {
            if (!_llms.TryGet(llms[i], out var m))
            {
                result[i] = double.MinValue / 4;
                continue;
            }
            var score = _p.Fixed(m, z);
            _p.Item(m, z, v);
            for (var k = 0; k < _p.Rank; k++)
            {
                score += u[k] * v[k];
            }
            result[i] = score;
        }
        return result;
    }

    private float[] Code(string queryId, string? text)
    {
        if (_p.QueryRank == 0)
        {
            return [];
        }
        if (!_codes.TryGetValue(queryId, out var z))
        {
            var features = text is null ? _features.Get(_data, queryId) : _features.Get(queryId, text);
            z = _p.Project(features);
            _codes[queryId] = z;
        }
        return z;
    }
}
