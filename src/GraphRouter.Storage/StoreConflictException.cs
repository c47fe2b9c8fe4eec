namespace GraphRouter.Storage;

/// <summary>
/// The write conflicts with what the store holds (an idempotency key reused for another payload, a
/// conversation step already taken, a policy version registered with another manifest, nothing to roll
/// back to). The message says exactly what conflicted; the store changed nothing. The service maps it
/// to <c>CONFLICT</c>.
/// </summary>
public sealed class StoreConflictException : Exception
{
    public StoreConflictException(string message)
        : base(message)
    {
    }

    public StoreConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
