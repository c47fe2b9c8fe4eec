using GraphRouter.Core.Domain;
using GraphRouter.Evaluation.Routers;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>A global, query-independent router: one fixed score per LLM (an unknown LLM gets the lowest).</summary>
internal sealed class StaticScoreModel : IPreferenceModel
{
    private readonly IReadOnlyDictionary<string, double> _scores;
    private readonly double _floor;

    public StaticScoreModel(string name, IReadOnlyDictionary<string, double> scores)
    {
        Name = name;
        _scores = scores;
        _floor = scores.Count == 0 ? 0 : scores.Values.Min() - 1;
    }

    public string Name { get; }

    public IReadOnlyDictionary<string, double> Scores => _scores;

    public IUserState Observe(string userId, IReadOnlyList<Interaction> history) => new HistoryState(history.Count);

    public double[] Score(IUserState user, QueryInfo query, IReadOnlyList<string> llms) =>
        llms.Select(l => _scores.TryGetValue(l, out var s) ? s : _floor).ToArray();
}
