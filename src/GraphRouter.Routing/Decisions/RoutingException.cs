namespace GraphRouter.Routing.Decisions;

/// <summary>A routing request that cannot be answered, with a stable <see cref="Code"/> from <see cref="RoutingErrorCode"/>.</summary>
public sealed class RoutingException : Exception
{
    public RoutingException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public RoutingException()
        : this(RoutingErrorCode.BadUserInput, "bad routing request")
    {
    }

    public RoutingException(string message)
        : this(RoutingErrorCode.BadUserInput, message)
    {
    }

    public RoutingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = RoutingErrorCode.BadUserInput;
    }

    public string Code { get; }
}
