namespace GraphRouter.Storage.Tenancy;

/// <summary>
/// Tenant ids and the checks every store applies before writing one (migration 0008). A tenant owns its users (and
/// their interactions and embeddings), its feedback idempotency keys, its API keys and optionally its own default
/// costWeight; models, policies, training runs and the Query and Response nodes stay shared by the deployment.
/// </summary>
public static class Tenants
{
    /// <summary>The tenant that always exists: everything stored before tenancy belongs to it, and <c>--insecure-no-auth</c> serves it.</summary>
    public const string Default = "default";

    /// <summary>The longest tenant id accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// 1 to <see cref="MaxLength"/> of ASCII letters, digits, '-', '_' and '.'. Never '/', so a change-log key
    /// <c>tenant/user</c> names its user unambiguously whatever the user id holds.
    /// </summary>
    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Throws <see cref="ArgumentException"/> saying what is wrong unless <paramref name="id"/> is a valid tenant id.</summary>
    public static void Validate(string? id, string? parameterName = null)
    {
        if (!IsValid(id))
        {
            throw new ArgumentException($"tenant '{id}' is not valid: use 1 to {MaxLength} letters, digits, '-', '_' or '.'", parameterName ?? nameof(id));
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="costWeight"/> is null or a finite number &gt;= 0.</summary>
    internal static void ValidateCostWeight(string tenant, double? costWeight)
    {
        if (costWeight is { } weight && (!double.IsFinite(weight) || weight < 0))
        {
            throw new ArgumentException(
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"tenant '{tenant}': the default costWeight must be a finite number >= 0, got {weight}"),
                nameof(costWeight));
        }
    }
}
