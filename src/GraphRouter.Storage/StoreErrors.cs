namespace GraphRouter.Storage;

/// <summary>The conflicts both stores report, worded once so that the backends say the same thing.</summary>
internal static class StoreErrors
{
    public static StoreConflictException KeyConflict(string key) =>
        new($"idempotency key '{key}' was already used for a different feedback (another request fingerprint); nothing was stored");

    public static StoreConflictException StepConflict(string user, string conversation, int step) =>
        new($"user '{user}' already has an interaction at step {step} of conversation '{conversation}'; nothing was stored");

    public static StoreConflictException PolicyManifestConflict(string version) =>
        new($"policy version '{version}' is already registered with a different manifest; nothing was stored");

    public static StoreConflictException NothingToRollBack(string? active) =>
        new(active is null
            ? "no policy activation to roll back: no policy is active"
            : $"no policy activation to roll back: '{active}' is the only version in the activation history");

    public static StoreConflictException TenantConflict(string tenant) =>
        new($"tenant '{tenant}' already exists; nothing was stored");

    public static StoreConflictException ApiKeyNameConflict(string name) =>
        new($"an API key named '{name}' already exists and is not revoked; revoke it or choose another name; nothing was stored");
}
