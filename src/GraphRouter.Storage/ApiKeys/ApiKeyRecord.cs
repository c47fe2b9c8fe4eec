namespace GraphRouter.Storage.ApiKeys;

/// <summary>An API key as the store holds it: never the key itself, only the SHA-256 of its text.</summary>
public sealed record ApiKeyRecord
{
    /// <summary><c>key_</c> and 12 hex digits, assigned by the store; safe to log and show.</summary>
    public required string Id { get; init; }

    /// <summary>The operator's label; unique among the keys not revoked.</summary>
    public required string Name { get; init; }

    public required ApiKeyRole Role { get; init; }

    /// <summary>The tenant whose users the key's requests address.</summary>
    public required string Tenant { get; init; }

    /// <summary>SHA-256 of the key's text, 64 lowercase hex digits.</summary>
    public required string SecretHash { get; init; }

    public required DateTimeOffset Created { get; init; }

    /// <summary>When it was revoked; null while it is valid.</summary>
    public DateTimeOffset? Revoked { get; init; }

    public bool IsRevoked => Revoked is not null;
}
