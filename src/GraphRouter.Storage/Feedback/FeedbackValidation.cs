namespace GraphRouter.Storage.Feedback;

/// <summary>
/// The checks a feedback passes before a store opens a transaction: what no store could hold (an empty
/// key, a negative step, a repeated LLM, a rating that is not a number). The rating scale is the service's
/// to check; the store checks only what its tables need.
/// </summary>
internal static class FeedbackValidation
{
    public static void Validate(FeedbackRecord feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        const string name = nameof(feedback);
        Tenancy.Tenants.Validate(feedback.Tenant, name);
        RequireText(feedback.IdempotencyKey, "idempotency key");
        RequireText(feedback.RequestFingerprint, "request fingerprint");
        RequireText(feedback.UserExternalId, "user id");
        if (feedback.Conversation is not null)
        {
            RequireText(feedback.Conversation, "conversation id");
        }
        if (feedback.QueryText is null || feedback.QueryText.Length == 0)
        {
            throw new ArgumentException("feedback: the query text is empty", name);
        }
        RejectNul(feedback.QueryText, "query text");
        RejectNul(feedback.DecisionId, "decision id");
        if (feedback.Step < 0)
        {
            throw new ArgumentException($"feedback: step {feedback.Step} is negative", name);
        }
        if (feedback.Responses is null || feedback.Responses.Count == 0)
        {
            throw new ArgumentException("feedback: no rated responses", name);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var response in feedback.Responses)
        {
            if (response is null)
            {
                throw new ArgumentException("feedback: a rated response is null", name);
            }
            RequireText(response.Llm, "model name");
            if (!seen.Add(response.Llm))
            {
                throw new ArgumentException($"feedback: model '{response.Llm}' is rated twice", name);
            }
            if (!double.IsFinite(response.Rating))
            {
                throw new ArgumentException($"feedback: the rating of '{response.Llm}' is not a finite number", name);
            }
            RejectNul(response.Text, $"response text of '{response.Llm}'");
            if (response.CostUsd is { } cost && (!double.IsFinite(cost) || cost < 0))
            {
                throw new ArgumentException($"feedback: the cost of '{response.Llm}' is not a non-negative number", name);
            }
        }
    }

    private static void RequireText(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"feedback: the {what} is empty");
        }
        RejectNul(value, what);
    }

    /// <summary>PostgreSQL text cannot hold U+0000; refusing it on every backend keeps them alike.</summary>
    private static void RejectNul(string? value, string what)
    {
        if (value is not null && value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"feedback: the {what} contains a NUL character");
        }
    }
}
