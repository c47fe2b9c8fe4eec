namespace GraphRouter.Storage;

/// <summary>
/// SQLite's <c>PRAGMA synchronous</c> in WAL mode: what an acknowledged commit survives.
/// </summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// The WAL is written at each commit and synced only at checkpoints: a commit survives the process
    /// being killed (SIGKILL: the OS holds the written pages) but the latest commits can be lost when the
    /// machine loses power or the kernel crashes.
    /// </summary>
    Normal,

    /// <summary>
    /// The WAL is synced to disk (fdatasync) at every commit: a commit survives a power loss too. The
    /// default; its cost on a feedback write is measured in tests/GraphRouter.Benchmarks/RESULTS.md.
    /// </summary>
    Full,
}
