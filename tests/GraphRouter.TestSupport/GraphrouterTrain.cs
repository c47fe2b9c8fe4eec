using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace GraphRouter.TestSupport;

/// <summary>
/// The real <c>graphrouter-train</c> as a child process (<c>dotnet graphrouter-train.dll</c>): from beside the tests
/// where the test project references the training project, else from the training project's own build output (where
/// a project builds it without referencing it, so libtorch never lands beside <c>graphrouter.dll</c>).
/// </summary>
public static class GraphrouterTrain
{
    /// <summary>The graphrouter-train.dll the processes run.</summary>
    public static string DllPath { get; } =
        Path.Combine(AppContext.BaseDirectory, "graphrouter-train.dll") is var beside && File.Exists(beside) ? beside
        : typeof(GraphrouterTrain).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "GraphrouterTrainDll").Value!;

    /// <summary>Runs to the end; returns the exit code and what it wrote.</summary>
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args)) ?? throw new InvalidOperationException("cannot start dotnet");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await output, await error);
    }

    /// <summary>A started process whose output (stdout and stderr) is collected as it comes; lock it to read it.</summary>
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

    private static ProcessStartInfo StartInfo(string[] args)
    {
        if (!File.Exists(DllPath))
        {
            throw new FileNotFoundException($"graphrouter-train is not built at {DllPath}");
        }

        var start = new ProcessStartInfo(DotnetHost.Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(DllPath);
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
