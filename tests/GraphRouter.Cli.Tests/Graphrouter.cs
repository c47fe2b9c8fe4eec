using System.Diagnostics;

namespace GraphRouter.Cli.Tests;

/// <summary>Runs the real <c>graphrouter</c>: as a process (<c>dotnet graphrouter.dll</c>, the built entry point) or in-process through the same command tree.</summary>
public static class Graphrouter
{
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "graphrouter.dll");

    public static async Task<CliResult> RunProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await output, await error);
    }

    public static async Task<CliResult> RunInProcessAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GraphRouterCli.RunAsync(args, output, error);
        return new CliResult(exit, output.ToString(), error.ToString());
    }
}
