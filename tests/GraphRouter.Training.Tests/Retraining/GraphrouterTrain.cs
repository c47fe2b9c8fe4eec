using System.Diagnostics;
using System.Text;

namespace GraphRouter.Training.Tests.Retraining;

/// <summary>The real <c>graphrouter-train</c> as a child process (<c>dotnet graphrouter-train.dll</c> from the test output).</summary>
public static class GraphrouterTrain
{
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "graphrouter-train.dll"));
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    /// <summary>Runs to the end; returns the exit code and stdout + stderr.</summary>
    public static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args)) ?? throw new InvalidOperationException("cannot start dotnet");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    /// <summary>A started process whose output is collected as it comes.</summary>
    public static (Process Process, StringBuilder Output) Start(params string[] args)
    {
        var output = new StringBuilder();
        var process = new Process { StartInfo = StartInfo(args) };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }
}
