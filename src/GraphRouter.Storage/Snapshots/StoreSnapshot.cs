using GraphRouter.Core.Datasets;

namespace GraphRouter.Storage.Snapshots;

/// <summary>
/// Everything a retraining needs from the store, read in one consistent view
/// (<see cref="IGraphStore.ReadSnapshotAsync"/>): no write committed during the read shows in part.
/// </summary>
public sealed record StoreSnapshot
{
    /// <summary>
    /// Every interaction (imported and from feedback, of every tenant) grouped by user, each user's in time order, with
    /// every Query node and LLM of the store, and as outcomes every stored response that has a measured
    /// score, a cost and a text (responses first seen in feedback have no score and are not outcomes;
    /// their ratings are in the interactions). The store does not record a dataset's declared rating
    /// scale: the dataset carries <see cref="Core.Domain.RatingScale.Default"/>, which the caller
    /// replaces (a new <see cref="PreferenceDataset"/> over the same lists) when its deployment declares another.
    /// <para>
    /// User names: a user of the default tenant is named by its id as stored (so a store that only imported a
    /// dataset gives back exactly its users); a user of another tenant is <c>tenant/user</c>. Should a default user's
    /// id equal such a name, the default user keeps it and the other tenant's user is named <c>tenant/user#2</c> (or
    /// the next free number), deterministically: users are taken in (tenant, user id) ordinal order. Training sees
    /// every tenant's users (the policy is shared); each stays a separate user.
    /// </para>
    /// </summary>
    public required PreferenceDataset Dataset { get; init; }

    /// <summary>
    /// The highest feedback sequence number included (0 when none). On SQLite feedback is numbered in
    /// commit order, so the snapshot holds exactly the feedback numbered up to it; on PostgreSQL a number is
    /// taken when the feedback is written, so a feedback in flight during the read may commit later with
    /// a lower number. <see cref="FeedbackCount"/> is exact on both.
    /// </summary>
    public required long FeedbackWatermark { get; init; }

    /// <summary>How many of the dataset's interactions came from feedback.</summary>
    public required int FeedbackCount { get; init; }

    /// <summary>The store clock's time of the read.</summary>
    public required DateTimeOffset TakenAt { get; init; }

    /// <summary>One line for a manifest's dataSnapshot: where, the watermark, the counts and the time.</summary>
    public required string Description { get; init; }
}
