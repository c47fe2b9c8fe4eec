namespace GraphRouter.Storage;

/// <summary>How a store is opened: its clock, and how hard SQLite syncs a commit to disk.</summary>
public sealed record GraphStoreOptions
{
    public static GraphStoreOptions Default { get; } = new();

    /// <summary>The clock that stamps what the store records (feedback receipt, activations, queued runs).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>SQLite only: see <see cref="Storage.SqliteSynchronous"/>.</summary>
    public SqliteSynchronous SqliteSynchronous { get; init; } = SqliteSynchronous.Normal;

    /// <summary>
    /// How many of the latest change-log rows (migration 0006) a store keeps when it prunes: enough for a
    /// follower that fell behind by less than this to catch up from the log. At least 1.
    /// </summary>
    public int ChangeLogRetention { get; init; } = 100_000;
}
