namespace GraphRouter.Training.Commands;

/// <summary>What <c>graphrouter-train</c>'s exit status means, as for the service's <c>graphrouter</c>.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int BadInput = 3;

    public const string Help = "Exit codes: 0 ok; 1 unexpected failure; 2 usage error; 3 bad input (nothing was written).";
}
