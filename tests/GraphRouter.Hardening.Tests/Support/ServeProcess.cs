using System.Diagnostics;
using System.Text.RegularExpressions;

namespace GraphRouter.Hardening.Tests.Support;

/// <summary>
/// <c>graphrouter serve</c> as a child process (<c>dotnet graphrouter.dll</c>, the built entry point) on a free loopback
/// port, over the given store. Its output is drained all the time (a full pipe would stall the server) and the last
/// lines are kept for failure messages. <see cref="Kill"/> is SIGKILL: no shutdown, flush or rollback runs in the child.
/// Before each start an admin key is created in the store with <c>graphrouter keys create</c>; <see cref="Client"/> sends it.
/// </summary>
public sealed partial class ServeProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private readonly Process _process;
    private readonly Queue<string> _lines;
    private readonly Task _stdout;
    private readonly Task _stderr;

    private ServeProcess(Process process, Uri address, Queue<string> lines, Task stdout, Task stderr, string adminKey)
    {
        AdminKey = adminKey;
        _process = process;
        _lines = lines;
        Address = address;
        _stdout = stdout;
        _stderr = stderr;
        Client = new HttpClient { BaseAddress = address };
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminKey);
    }

    /// <summary>The admin key created for this start.</summary>
    public string AdminKey { get; }

    /// <summary>The address it listens on.</summary>
    public Uri Address { get; }

    /// <summary>A client for it; connections end with the process.</summary>
    public HttpClient Client { get; }

    /// <summary>The exit code, once it exited (137 after <see cref="Kill"/>).</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The last lines it wrote (stdout and stderr interleaved), for failure messages.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Starts serve on <paramref name="store"/> and returns once it says it is serving (after the first-start bootstrap).</summary>
    public static async Task<ServeProcess> StartAsync(string store, params string[] extraArguments)
    {
        using var keyOutput = new StringWriter();
        using var keyError = new StringWriter();
        var created = await GraphRouter.Cli.GraphRouterCli.RunAsync(["keys", "create", "--name", "hardening-" + Guid.NewGuid().ToString("N")[..12], "--role", "admin", "--store", store], keyOutput, keyError);
        if (created != 0)
        {
            throw new InvalidOperationException($"graphrouter keys create failed ({created}): {keyError}");
        }
        var adminKey = keyOutput.ToString().Trim();

        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "graphrouter.dll"), "serve", "--urls", "http://127.0.0.1:0", "--no-graphiql", "--store", store }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet graphrouter.dll serve");
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new Queue<string>();
        var stdout = Drain(process.StandardOutput, lines, line =>
        {
            if (ServingLine().Match(line) is { Success: true } match)
            {
                ready.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        });
        var stderr = Drain(process.StandardError, lines, _ => { });
        _ = process.WaitForExitAsync().ContinueWith(_ => ready.TrySetException(new InvalidOperationException($"serve exited with {process.ExitCode} before serving")), TaskScheduler.Default);
        Uri address;
        try
        {
            // A guard against a server that never comes up (a fresh store imports the bundled data first), not a timing assertion.
            address = await ready.Task.WaitAsync(TimeSpan.FromMinutes(5));
        }
        catch (Exception e)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            string recent;
            lock (lines)
            {
                recent = string.Join('\n', lines);
            }

            process.Dispose();
            throw new InvalidOperationException($"graphrouter serve did not start: {e.Message}\n{recent}", e);
        }

        return new ServeProcess(process, address, lines, stdout, stderr, adminKey);
    }

    /// <summary>SIGKILL, then waits for the process to be gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        await Task.WhenAll(_stdout, _stderr);
        _process.Dispose();
    }

    private static Task Drain(StreamReader reader, Queue<string> lines, Action<string> onLine) => Task.Run(async () =>
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (lines)
            {
                lines.Enqueue(line);
                while (lines.Count > KeptLines)
                {
                    lines.Dequeue();
                }
            }

            onLine(line);
        }
    });

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } process && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process
        : "dotnet";

    [GeneratedRegex(@"^graphrouter serving (?<url>http://[^\s,]+)")]
    private static partial Regex ServingLine();
}
