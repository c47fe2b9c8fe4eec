namespace GraphRouter.Serving;

/// <summary>The stable codes of <see cref="ServiceException"/>; the GraphQL layer copies them to <c>extensions.code</c>.</summary>
public static class ServiceErrorCode
{
    /// <summary>Invalid input (empty query, rating outside the scale, unknown model, NaN, ...): nothing was stored.</summary>
    public const string BadUserInput = "BAD_USER_INPUT";
    /// <summary>Well-formed request, but no candidate model is left (all unavailable or over maxCostUsd).</summary>
    public const string NoCandidates = "NO_CANDIDATES";
    /// <summary>A named thing (policy version, model) does not exist.</summary>
    public const string NotFound = "NOT_FOUND";
    /// <summary>The request conflicts with stored state (idempotency key reused for a different payload, nothing to roll back to).</summary>
    public const string Conflict = "CONFLICT";
    /// <summary>A policy artifact failed verification (checksums, files, parity) and was not activated.</summary>
    public const string PolicyInvalid = "POLICY_INVALID";
    /// <summary>No policy is loaded or the store does not answer; retry later.</summary>
    public const string Unavailable = "SERVICE_UNAVAILABLE";
}

/// <summary>A failure the caller can act on, with a stable code; the operation changed nothing.</summary>
public sealed class ServiceException : Exception
{
    public ServiceException(string code, string message, Exception? innerException = null) : base(message, innerException)
    {
        Code = code;
    }

    public string Code { get; }
}
