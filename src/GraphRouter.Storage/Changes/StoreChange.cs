namespace GraphRouter.Storage.Changes;

/// <summary>
/// One committed change other instances on the same store must follow, as the change log records it:
/// what kind of state changed, which item (<see cref="StoreChangeKind"/> says what the key names), and the
/// <see cref="IGraphStore.InstanceId"/> of the store object that made it, so an instance can skip its own.
/// </summary>
public sealed record StoreChange(long Sequence, string Kind, string Key, string Origin, DateTimeOffset At);
