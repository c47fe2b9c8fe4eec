using System.Diagnostics;
using System.Reflection;

namespace GraphRouter.Cli.Tests;

/// <summary>
/// The real <c>graphrouter-train</c> as a child process, run from the training project's own build output (this
/// project builds it without referencing it, so libtorch never lands beside <c>graphrouter.dll</c>).
/// </summary>
public static class GraphrouterTrain
{
    public static string DllPath { get; } = typeof(GraphrouterTrain).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "GraphrouterTrainDll").Value!;

    /// <summary>Runs to the end; returns the exit code and what it wrote.</summary>
    public static async Task<CliResult> RunProcessAsync(params string[] args)
    {
        if (!File.Exists(DllPath))
        {
            throw new FileNotFoundException($"graphrouter-train is not built at {DllPath}");
        }
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(DllPath);
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await output, await error);
    }
}
