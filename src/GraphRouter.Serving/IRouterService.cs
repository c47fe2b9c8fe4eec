using GraphRouter.Storage.TrainingRuns;

namespace GraphRouter.Serving;

/// <summary>
/// Everything the GraphQL API and the CLI ask of the service, in the API's own terms (DESIGN.md "API").
/// Failures the caller can act on are <see cref="ServiceException"/>s carrying a stable
/// <see cref="ServiceErrorCode"/>; a failed call changes nothing.
/// <para>
/// Routing, feedback and user look-ups act for one tenant (<see cref="Storage.Tenancy.Tenants"/>), the caller's, which
/// the API takes from the authenticated key and never from the request: they read and change only that tenant's users
/// and feedback, and a route without a costWeight uses that tenant's default. Models, policies and training runs are
/// the deployment's, shared by every tenant.
/// </para>
/// </summary>
public interface IRouterService
{
    /// <summary>Scores the candidates for (the tenant's user, query) with the active policy and applies the cost rule.</summary>
    Task<RouteResult> RouteAsync(string tenant, RouteCommand command, CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits the feedback for the tenant's user (idempotent by key within the tenant), then recomputes the user's
    /// embedding, so the next route reflects it.
    /// </summary>
    Task<FeedbackResult> SubmitFeedbackAsync(string tenant, FeedbackCommand command, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ModelView>> GetModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>Registers a model, or updates the description and prices of a registered one.</summary>
    Task<ModelView> RegisterModelAsync(ModelCommand command, CancellationToken cancellationToken = default);

    Task<ModelView> SetModelAvailabilityAsync(string model, bool available, CancellationToken cancellationToken = default);

    /// <summary>The tenant's user; null for a user the tenant has never had (another tenant's user of that id included).</summary>
    Task<UserView?> GetUserAsync(string tenant, string userId, CancellationToken cancellationToken = default);

    /// <summary>The active policy; null when none is active.</summary>
    Task<PolicyView?> GetActivePolicyAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<PolicyView>> GetPoliciesAsync(CancellationToken cancellationToken = default);

    /// <summary>Verifies and loads a registered version, then makes it active; the old one keeps serving until then.</summary>
    Task<PolicyView> ActivatePolicyAsync(string version, CancellationToken cancellationToken = default);

    /// <summary>Re-activates the version that was active before the current one.</summary>
    Task<PolicyView> RollbackPolicyAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TrainingRunView>> GetTrainingRunsAsync(int last, CancellationToken cancellationToken = default);

    /// <summary>How many training runs are in each status and how long the finished ones took, for the metrics.</summary>
    Task<IReadOnlyList<TrainingRunTally>> GetTrainingRunTalliesAsync(CancellationToken cancellationToken = default);

    /// <summary>Queues a training run for the retraining worker.</summary>
    Task<TrainingRunView> StartTrainingAsync(TrainingCommand? command, CancellationToken cancellationToken = default);

    /// <summary>Ready when a policy is loaded and the store answers.</summary>
    Task<Readiness> CheckReadinessAsync(CancellationToken cancellationToken = default);
}
