namespace GraphRouter.TestSupport;

/// <summary>
/// The <c>dotnet</c> executable that runs the tests (the one <c>dotnet test</c> names in DOTNET_HOST_PATH, else this
/// process when it is dotnet), so child processes run on the same runtime even where dotnet is not on PATH.
/// </summary>
internal static class DotnetHost
{
    public static string Executable { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } process && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process
        : "dotnet";
}
