using System.Globalization;
using System.Text;

namespace GraphRouter.Routing.Decisions;

/// <summary>
/// The cost-aware rule: utility = probability - costWeight * expectedCostUsd, best utility first.
/// </summary>
/// <remarks>
/// <para>
/// Quality is the preference <em>probability</em>, the softmax of the scores over the considered
/// candidates, not the raw score. The scores are Bradley-Terry logits whose scale drifts from one trained
/// policy to the next; a probability always lies in [0, 1], so costWeight keeps one meaning across
/// policies and users ("one unit of preference probability is worth 1/costWeight USD"), a calibrated
/// costWeight stays valid after retraining, and no over-confident score can outweigh any price. Both
/// choices are invariant to adding a constant to every score. The price of this choice: probabilities
/// depend on the candidate set, so the same model's utility changes when a rival is added or removed.
/// </para>
/// <para>
/// Steps: validate; candidates = requested (default: all registered) that are registered; drop those whose
/// known expected cost exceeds maxCostUsd (an unknown cost is kept and costs 0 in the utility); the
/// available rest is the considered set, over which probabilities and utilities are computed. Unavailable
/// models are ranked the same way over the within-budget set including them; those that would have come
/// before the chosen model are reported in <see cref="RouteDecision.FallbackFrom"/>.
/// Ties: higher utility, then higher score, then lower known cost (unknown last), then model name (ordinal).
/// </para>
/// </remarks>
public sealed class CostAwareDecisionRule : IDecisionRule
{
    public RouteDecision Decide(RouteRequest request, IReadOnlyList<CandidateEstimate> registered, DecisionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(registered);
        ArgumentNullException.ThrowIfNull(context);
        ValidateRequest(request);
        var byName = IndexRegistered(registered);
        var requested = ResolveRequested(request, registered, byName);

        var excludedByCost = new List<string>();
        var withinBudget = new List<CandidateEstimate>();
        foreach (var candidate in requested)
        {
            if (request.MaxCostUsd is { } max && candidate.ExpectedCostUsd is { } cost && cost > max)
            {
                excludedByCost.Add(candidate.Model);
            }
            else
            {
                withinBudget.Add(candidate);
            }
        }

        var considered = withinBudget.Where(c => c.Available).ToList();
        if (considered.Count == 0)
        {
            var unavailable = withinBudget.Count(c => !c.Available);
            throw new RoutingException(
                RoutingErrorCode.NoCandidates,
                Invariant($"no candidate model left: {requested.Count} requested, {excludedByCost.Count} over maxCostUsd, {unavailable} unavailable"));
        }

        var ranking = Rank(considered, request.CostWeight);
        var chosen = ranking[0];

        var fallbackFrom = new List<string>();
        if (considered.Count < withinBudget.Count)
        {
            foreach (var score in Rank(withinBudget, request.CostWeight))
            {
                if (score.Model == chosen.Model)
                {
                    break;
                }
                if (!byName[score.Model].Available)
                {
                    fallbackFrom.Add(score.Model);
                }
            }
        }

        return new RouteDecision
        {
            Model = chosen.Model,
            Ranking = ranking,
            PolicyVersion = context.PolicyVersion,
            UserKnown = context.UserKnown,
            UserInteractions = context.UserInteractions,
            FallbackFrom = fallbackFrom,
            ExcludedByCost = excludedByCost,
            CostWeight = request.CostWeight,
            Explanation = Explain(ranking, request, context, fallbackFrom, excludedByCost),
        };
    }

    /// <summary>Probabilities (softmax of scores over <paramref name="candidates"/>), utilities, sorted best first.</summary>
    public static IReadOnlyList<ModelScore> Rank(IReadOnlyList<CandidateEstimate> candidates, double costWeight)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var max = candidates.Max(c => c.Score);
        var weights = candidates.Select(c => Math.Exp(c.Score - max)).ToArray();
        var total = weights.Sum();
        var scores = new List<ModelScore>(candidates.Count);
        for (var i = 0; i < candidates.Count; i++)
        {
            var p = weights[i] / total;
            var cost = candidates[i].ExpectedCostUsd;
            scores.Add(new ModelScore
            {
                Model = candidates[i].Model,
                Score = candidates[i].Score,
                Probability = p,
                ExpectedCostUsd = cost,
                Utility = p - (costWeight * (cost ?? 0)),
            });
        }
        scores.Sort(CompareBestFirst);
        return scores;
    }

    private static int CompareBestFirst(ModelScore a, ModelScore b)
    {
        var byUtility = b.Utility.CompareTo(a.Utility);
        if (byUtility != 0)
        {
            return byUtility;
        }
        var byScore = b.Score.CompareTo(a.Score);
        if (byScore != 0)
        {
            return byScore;
        }
        var byCost = (a.ExpectedCostUsd ?? double.PositiveInfinity).CompareTo(b.ExpectedCostUsd ?? double.PositiveInfinity);
        return byCost != 0 ? byCost : string.CompareOrdinal(a.Model, b.Model);
    }

    private static void ValidateRequest(RouteRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            throw new RoutingException(RoutingErrorCode.BadUserInput, "query must not be empty");
        }
        if (double.IsNaN(request.CostWeight) || double.IsInfinity(request.CostWeight) || request.CostWeight < 0)
        {
            throw new RoutingException(RoutingErrorCode.BadUserInput, Invariant($"costWeight must be a finite number >= 0, got {request.CostWeight}"));
        }
        if (request.MaxCostUsd is { } max && (double.IsNaN(max) || max < 0))
        {
            throw new RoutingException(RoutingErrorCode.BadUserInput, Invariant($"maxCostUsd must be a number >= 0, got {max}"));
        }
    }

    private static Dictionary<string, CandidateEstimate> IndexRegistered(IReadOnlyList<CandidateEstimate> registered)
    {
        var byName = new Dictionary<string, CandidateEstimate>(StringComparer.Ordinal);
        foreach (var candidate in registered)
        {
            if (!double.IsFinite(candidate.Score))
            {
                throw new ArgumentException($"model '{candidate.Model}' has a non-finite score {candidate.Score}", nameof(registered));
            }
            if (candidate.ExpectedCostUsd is { } cost && (!double.IsFinite(cost) || cost < 0))
            {
                throw new ArgumentException($"model '{candidate.Model}' has an invalid expected cost {cost}", nameof(registered));
            }
            if (!byName.TryAdd(candidate.Model, candidate))
            {
                throw new ArgumentException($"model '{candidate.Model}' is registered twice", nameof(registered));
            }
        }
        return byName;
    }

    private static List<CandidateEstimate> ResolveRequested(
        RouteRequest request, IReadOnlyList<CandidateEstimate> registered, Dictionary<string, CandidateEstimate> byName)
    {
        if (request.Candidates is null)
        {
            return registered.ToList();
        }
        if (request.Candidates.Count == 0)
        {
            throw new RoutingException(RoutingErrorCode.BadUserInput, "candidates must name at least one model when given");
        }
        var unknown = request.Candidates.Where(m => !byName.ContainsKey(m)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new RoutingException(RoutingErrorCode.BadUserInput, $"unknown model(s): {string.Join(", ", unknown)}");
        }
        return request.Candidates.Distinct(StringComparer.Ordinal).Select(m => byName[m]).ToList();
    }

    private static string Explain(
        IReadOnlyList<ModelScore> ranking,
        RouteRequest request,
        DecisionContext context,
        IReadOnlyList<string> fallbackFrom,
        IReadOnlyList<string> excludedByCost)
    {
        var chosen = ranking[0];
        var text = new StringBuilder();
        text.Append(context.UserKnown
            ? Invariant($"For this user ({context.UserInteractions} interactions), ")
            : "For a new user (cold-start prior), ");
        text.Append(Invariant($"routed to {chosen.Model}: predicted preference {chosen.Probability:0.###} among {ranking.Count} {(ranking.Count == 1 ? "candidate" : "candidates")}"));
        if (request.CostWeight == 0)
        {
            text.Append("; cost weight 0, so preference alone decides.");
        }
        else
        {
            text.Append(Invariant($"; utility {chosen.Probability:0.###} - {request.CostWeight:0.###} x {CostTerm(chosen.ExpectedCostUsd)} = {chosen.Utility:0.###}"));
            var favourite = ranking.OrderByDescending(s => s.Probability).ThenBy(s => s.Model, StringComparer.Ordinal).First();
            if (favourite.Model != chosen.Model)
            {
                text.Append(Invariant($", beating the most preferred {favourite.Model} ({favourite.Probability:0.###} - {request.CostWeight:0.###} x {CostTerm(favourite.ExpectedCostUsd)} = {favourite.Utility:0.###}) on cost"));
            }
            text.Append('.');
        }

        var notes = new List<string>();
        if (fallbackFrom.Count > 0)
        {
            notes.Add($"fell back from unavailable {string.Join(", ", fallbackFrom)}");
        }
        if (excludedByCost.Count > 0)
        {
            notes.Add(Invariant($"excluded over maxCostUsd {Usd(request.MaxCostUsd)}: {string.Join(", ", excludedByCost)}"));
        }
        var unknownCost = ranking.Where(s => s.ExpectedCostUsd is null).Select(s => s.Model).ToList();
        if (unknownCost.Count > 0 && request.CostWeight > 0)
        {
            notes.Add($"cost unknown (counted as $0): {string.Join(", ", unknownCost)}");
        }
        if (notes.Count > 0)
        {
            var second = string.Join("; ", notes);
            text.Append(' ').Append(char.ToUpperInvariant(second[0])).Append(second.AsSpan(1)).Append('.');
        }
        return text.ToString();
    }

    private static string CostTerm(double? amount) => amount is null ? "$0 (cost unknown)" : Usd(amount);

    private static string Usd(double? amount) => amount is { } value ? Invariant($"${value:0.######}") : "unknown cost";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
