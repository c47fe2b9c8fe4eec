namespace GraphRouter.Storage.Feedback;

/// <summary>
/// One accepted <c>submitFeedback</c>, as the store records it: the user's ratings of the responses they
/// saw for one query at one step of one conversation, under the caller's idempotency key.
/// </summary>
public sealed record FeedbackRecord
{
    /// <summary>
    /// The tenant that sent it (<see cref="Tenancy.Tenants"/>): the user is this tenant's, and the key is unique within
    /// this tenant only, so the same key from another tenant is another, independent feedback. It must exist.
    /// </summary>
    public required string Tenant { get; init; }

    /// <summary>The caller's key: a replay with the same key (and payload) in the same tenant changes nothing.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>
    /// A digest of the canonical request payload, computed by the caller: the same key with the same
    /// fingerprint is a replay, with another fingerprint a conflict.
    /// </summary>
    public required string RequestFingerprint { get; init; }

    /// <summary>The application's user id within <see cref="Tenant"/>.</summary>
    public required string UserExternalId { get; init; }

    /// <summary>The user, as the store addresses one.</summary>
    public Tenancy.TenantUser User => new(Tenant, UserExternalId);

    /// <summary>The app's conversation id; null stores the interaction under <see cref="FeedbackConventions.ConversationFor"/> of the key.</summary>
    public string? Conversation { get; init; }

    public required int Step { get; init; }

    /// <summary>When the user rated; history is ordered by it. SQLite keeps milliseconds.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The query's text; the Query node is shared by text (<see cref="FeedbackConventions.QueryExternalId"/>).</summary>
    public required string QueryText { get; init; }

    /// <summary>The rated responses in the order the user saw them; each LLM at most once.</summary>
    public required IReadOnlyList<FeedbackResponse> Responses { get; init; }

    /// <summary>The route decision this feedback answers, if any.</summary>
    public string? DecisionId { get; init; }
}
