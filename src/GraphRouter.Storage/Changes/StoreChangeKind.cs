namespace GraphRouter.Storage.Changes;

/// <summary>The kinds of <see cref="StoreChange"/>, and what each one's key names.</summary>
public static class StoreChangeKind
{
    /// <summary>
    /// A feedback was recorded; the key is <see cref="Tenancy.TenantUser.ToChangeKey"/> of its user, <c>tenant/user</c>
    /// (that user's embedding is stale; read it back with <see cref="Tenancy.TenantUser.FromChangeKey"/>).
    /// </summary>
    public const string Feedback = "feedback";

    /// <summary>A policy was activated or rolled back to; the key is the version now active.</summary>
    public const string Policy = "policy";

    /// <summary>A model was registered, updated or made (un)available; the key is its name.</summary>
    public const string Model = "model";

    /// <summary>A deployment setting was set; the key is the setting key (<see cref="StoreSettings"/>).</summary>
    public const string Setting = "setting";

    /// <summary>A tenant was created or its default costWeight set or cleared; the key is the tenant id.</summary>
    public const string Tenant = "tenant";

    /// <summary>
    /// An import added to the graph (<see cref="IGraphStore.ImportAsync"/> or <see cref="IGraphStore.ImportQualityTableAsync"/>,
    /// e.g. <c>graphrouter import</c> into a store instances are serving from); the key is the preference dataset's name,
    /// or <see cref="QualityTableKey"/>. An
    /// import may add interactions to any number of users and models to the registry, so a follower treats it as
    /// a resync: every cached embedding and the catalog are re-read. An import that added nothing writes none.
    /// </summary>
    public const string Import = "import";

    /// <summary>The key of an <see cref="Import"/> change written by a quality-table import.</summary>
    public const string QualityTableKey = "quality-table";
}
