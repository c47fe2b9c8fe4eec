namespace GraphRouter.Storage;

/// <summary>The store cannot be opened or reached (a missing server, a refused connection, an unwritable path).</summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
