using GraphRouter.Core.Domain;
using GraphRouter.Evaluation.Routers;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>Per-user Bradley-Terry: strengths fitted on the user's visible history by MAP, shrunk towards the global strengths.</summary>
internal sealed class PerUserBradleyTerryModel(LlmIndex llms, double[] global, double shrinkage) : IPreferenceModel
{
    public string Name => "per-user-bt";

    public double Shrinkage => shrinkage;

    public IUserState Observe(string userId, IReadOnlyList<Interaction> history)
    {
        var pairs = new List<(int, int)>();
        foreach (var interaction in history)
        {
            foreach (var p in interaction.Pairs())
            {
                if (llms.TryGet(p.Winner, out var w) && llms.TryGet(p.Loser, out var l))
                {
                    pairs.Add((w, l));
                }
            }
        }
        var strengths = pairs.Count == 0 ? global : BradleyTerrySolver.Fit(llms.Count, pairs, global, shrinkage, 12);
        return new UserStrengthState(strengths, history.Count);
    }

    public double[] Score(IUserState user, QueryInfo query, IReadOnlyList<string> llmNames)
    {
        var s = ((UserStrengthState)user).Strengths;
        return llmNames.Select(n => llms.TryGet(n, out var i) ? s[i] : s.Min() - 1).ToArray();
    }
}
