using System.Security.Cryptography;

namespace GraphRouter.Storage.ApiKeys;

/// <summary>
/// A new API key to store: its name, role, tenant and the SHA-256 of its text (the caller generates the key, shows it
/// once and hands the store only the hash). The store assigns the id and the creation time.
/// </summary>
public sealed record ApiKeyRegistration
{
    /// <summary>The longest name accepted.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Ids start with this; a name may not, so <c>keys revoke ID|NAME</c> is never ambiguous.</summary>
    public const string IdPrefix = "key_";

    /// <summary>1 to 64 of letters, digits, '-', '_' and '.', not starting with <see cref="IdPrefix"/>.</summary>
    public required string Name { get; init; }

    public required ApiKeyRole Role { get; init; }

    /// <summary>
    /// The tenant whose users the key's requests address (<see cref="Tenancy.Tenants"/>); it must exist, else the
    /// store refuses the key with a <see cref="StoreNotFoundException"/>. An admin key also manages the deployment's
    /// shared state (models, policies, training), but reads only its own tenant's users.
    /// </summary>
    public required string Tenant { get; init; }

    /// <summary>SHA-256 of the key's text, 64 lowercase hex digits.</summary>
    public required string SecretHash { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> saying what is wrong, before anything is written.</summary>
    public void Validate()
    {
        ValidateName(Name);
        Tenancy.Tenants.Validate(Tenant, nameof(Tenant));
        if (!Enum.IsDefined(Role))
        {
            throw new ArgumentException($"API key: role {(int)Role} is neither app nor admin", nameof(Role));
        }
        if (SecretHash is null || SecretHash.Length != 64 || !SecretHash.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            throw new ArgumentException("API key: the secret hash must be a SHA-256 digest as 64 lowercase hex digits", nameof(SecretHash));
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is a valid key name.</summary>
    public static void ValidateName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"API key name '{name}' is not valid: use 1 to {MaxNameLength} letters, digits, '-', '_' or '.'", nameof(name));
        }
        if (name.StartsWith(IdPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"API key name '{name}' is not valid: names may not start with '{IdPrefix}', which marks key ids", nameof(name));
        }
    }

    /// <summary>A new key id: <see cref="IdPrefix"/> and 12 random hex digits.</summary>
    internal static string NewId() => IdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
