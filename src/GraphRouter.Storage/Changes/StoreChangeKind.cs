namespace GraphRouter.Storage.Changes;

/// <summary>The kinds of <see cref="StoreChange"/>, and what each one's key names.</summary>
public static class StoreChangeKind
{
    /// <summary>A feedback was recorded; the key is the user's external id (that user's embedding is stale).</summary>
    public const string Feedback = "feedback";

    /// <summary>A policy was activated or rolled back to; the key is the version now active.</summary>
    public const string Policy = "policy";

    /// <summary>A model was registered, updated or made (un)available; the key is its name.</summary>
    public const string Model = "model";

    /// <summary>A deployment setting was set; the key is the setting key (<see cref="StoreSettings"/>).</summary>
    public const string Setting = "setting";
}
