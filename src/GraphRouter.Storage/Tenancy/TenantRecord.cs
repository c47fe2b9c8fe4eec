namespace GraphRouter.Storage.Tenancy;

/// <summary>A tenant as the store holds it (table <c>tenants</c>, migration 0008).</summary>
public sealed record TenantRecord
{
    /// <summary>The tenant id (<see cref="Tenants.IsValid"/>).</summary>
    public required string Id { get; init; }

    public required DateTimeOffset Created { get; init; }

    /// <summary>The costWeight this tenant's routes use when they give none; null: the deployment's default.</summary>
    public double? DefaultCostWeight { get; init; }
}
