namespace GraphRouter.Storage.Tenancy;

/// <summary>
/// A user as the store addresses one: the application's user id within a tenant. The same <see cref="UserId"/> in two
/// tenants is two users with separate histories, summaries and embeddings.
/// </summary>
public readonly record struct TenantUser(string Tenant, string UserId)
{
    /// <summary>A user of the <see cref="Tenants.Default"/> tenant.</summary>
    public static TenantUser InDefaultTenant(string userId) => new(Tenants.Default, userId);

    /// <summary>
    /// The key of this user's feedback changes in the change log: <c>tenant/user</c>. Tenant ids never hold '/', so
    /// the first '/' separates them whatever the user id holds (<see cref="FromChangeKey"/>).
    /// </summary>
    public string ToChangeKey() => Tenant + "/" + UserId;

    /// <summary>
    /// The user a feedback change's key names. A key without '/' cannot come from this store version (migration 0008
    /// rewrote older ones as <c>default/user</c>); it is read as a user of the default tenant.
    /// </summary>
    public static TenantUser FromChangeKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? InDefaultTenant(key) : new TenantUser(key[..slash], key[(slash + 1)..]);
    }

    /// <summary>Throws <see cref="ArgumentException"/> for an invalid tenant id or a null user id, before anything is read or written.</summary>
    public void Validate()
    {
        Tenants.Validate(Tenant, nameof(Tenant));
        ArgumentNullException.ThrowIfNull(UserId, nameof(UserId));
    }

    public override string ToString() => ToChangeKey();
}
