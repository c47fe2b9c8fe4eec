namespace GraphRouter.Routing.Decisions;

/// <summary>Turns per-candidate scores and costs into one routing decision. Pure: no store, no model, no clock.</summary>
public interface IDecisionRule
{
    RouteDecision Decide(RouteRequest request, IReadOnlyList<CandidateEstimate> registered, DecisionContext context);
}
