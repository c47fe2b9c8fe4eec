namespace GraphRouter.Cli;

/// <summary>What <c>graphrouter</c>'s exit status means (also listed in <c>--help</c>).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int BadData = 3;
    public const int StoreUnreachable = 4;

    public const string Help = "Exit codes: 0 ok; 1 unexpected failure; 2 usage error; 3 bad data (nothing was written); 4 store unreachable.";
}
