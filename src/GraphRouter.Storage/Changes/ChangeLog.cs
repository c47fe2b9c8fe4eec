namespace GraphRouter.Storage.Changes;

/// <summary>Argument checks and conventions the change feed shares across backends.</summary>
internal static class ChangeLog
{
    /// <summary>The most changes one <see cref="IGraphStore.GetChangesAsync"/> call returns.</summary>
    public const int MaxPage = 10_000;

    /// <summary>A fresh random instance id: 16 random bytes as hex, unique per store object.</summary>
    public static string NewInstanceId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public static void ValidateRead(long afterSequence, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        if (limit is < 1 or > MaxPage)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must lie within [1, {MaxPage}]");
        }
    }

    public static void ValidateWait(long afterSequence, TimeSpan maxWait)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        if (maxWait < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(maxWait), maxWait, "maxWait must not be negative");
        }
    }

    /// <summary>
    /// How many of its own changes a store object writes between two prunings: a tenth of the retention, so
    /// the log holds at most the retention plus a tenth of it per writing store object.
    /// </summary>
    public static int PruneEvery(int retention) => Math.Max(1, retention / 10);
}
