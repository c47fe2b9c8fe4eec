using System.Diagnostics;
using System.Text;

namespace GraphRouter.TestSupport;

/// <summary>
/// Reads a child process's stdout and stderr to their ends as they come (a full pipe would stall the child). Stderr is
/// kept whole, the last lines of both streams interleaved; each stdout line is also handed to a callback.
/// </summary>
internal sealed class ProcessOutput
{
    private const int KeptLines = 200;
    private readonly StringBuilder _errors = new();
    private readonly Queue<string> _recent = new();

    public ProcessOutput(Process process, Action<string> onOutputLine)
    {
        Completion = Task.WhenAll(
            ReadAsync(process.StandardOutput, onOutputLine),
            ReadAsync(process.StandardError, line =>
            {
                lock (_errors)
                {
                    _errors.AppendLine(line);
                }
            }));
    }

    /// <summary>Done when both streams reached their end (the process exited).</summary>
    public Task Completion { get; }

    /// <summary>Everything written to stderr so far.</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>The last lines written to either stream.</summary>
    public string Recent
    {
        get
        {
            lock (_recent)
            {
                return string.Join('\n', _recent);
            }
        }
    }

    private Task ReadAsync(StreamReader reader, Action<string> onLine) => Task.Run(async () =>
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_recent)
            {
                _recent.Enqueue(line);
                while (_recent.Count > KeptLines)
                {
                    _recent.Dequeue();
                }
            }

            onLine(line);
        }
    });
}
