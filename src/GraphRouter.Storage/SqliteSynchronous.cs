namespace GraphRouter.Storage;

/// <summary>
/// SQLite's <c>PRAGMA synchronous</c> in WAL mode: what an acknowledged commit survives, and what it costs
/// (measured on a feedback write in tests/GraphRouter.Benchmarks/RESULTS.md).
/// </summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// The default. Each commit is written to the WAL file before it returns and the WAL is synced at
    /// checkpoints: a commit survives the process being killed at any instant (SIGKILL; the kernel holds the
    /// written pages; a test kills a writer to show it), but the last commits before a power loss or a kernel
    /// crash can be lost (the file stays consistent). Chosen because the service's promise is survival of a
    /// process crash within a 5 ms feedback budget, and a sync per commit costs 0.6 ms at the median and
    /// several ms at the tail on the measured disk.
    /// </summary>
    Normal,

    /// <summary>
    /// The WAL is synced to disk (fdatasync) at every commit: a commit survives a power loss too, at the
    /// cost of one sync per write. For deployments that need that on a single node (or use PostgreSQL).
    /// </summary>
    Full,
}
