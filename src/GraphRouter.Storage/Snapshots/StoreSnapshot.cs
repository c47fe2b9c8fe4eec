using GraphRouter.Core.Datasets;

namespace GraphRouter.Storage.Snapshots;

/// <summary>
/// Everything a retraining needs from the store, read in one consistent view
/// (<see cref="IGraphStore.ReadSnapshotAsync"/>): no write committed during the read shows in part.
/// </summary>
public sealed record StoreSnapshot
{
    /// <summary>
    /// Every interaction (imported and from feedback) grouped by user, each user's in time order, with
    /// every Query node and LLM of the store, and as outcomes every stored response that has a measured
    /// score, a cost and a text (responses first seen in feedback have no score and are not outcomes;
    /// their ratings are in the interactions). The store does not record a dataset's declared rating
    /// scale: the dataset carries <see cref="Core.Domain.RatingScale.Default"/>, which the caller
    /// replaces (a new <see cref="PreferenceDataset"/> over the same lists) when its deployment declares another.
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
