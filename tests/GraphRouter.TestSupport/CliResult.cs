namespace GraphRouter.TestSupport;

/// <summary>What one <c>graphrouter</c> or <c>graphrouter-train</c> invocation did: its exit code and what it wrote.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>The exit code and everything written, stdout then stderr: for tests that search the whole log.</summary>
    public void Deconstruct(out int exitCode, out string log)
    {
        exitCode = ExitCode;
        log = Output + Error;
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
