using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using GraphRouter.Cli;
using Xunit;

namespace GraphRouter.TestSupport;

/// <summary>
/// A real <c>graphrouter serve</c> as a child process (<c>dotnet graphrouter.dll</c>, the built entry point beside the
/// tests) on a free loopback port over the given store, awaited until it says it serves. Its output is drained all the
/// time (a full pipe would stall the server): stderr is kept whole for the tests that read it, the last lines of both
/// streams for failure messages. <see cref="KillAsync"/> and dispose are SIGKILL: no shutdown, flush or rollback runs
/// in the child. <see cref="Client"/> sends an admin key: one created with <c>graphrouter keys create</c> before the
/// start, or (when the test asks for none) the one serve prints on a store that never had a key.
/// </summary>
public sealed partial class ServeProcess : IAsyncDisposable
{
    private const string PrintedKeyLine = "graphrouter admin key: ";
    private readonly Process _process;
    private readonly ProcessOutput _output;

    private ServeProcess(Process process, ProcessOutput output, Uri address)
    {
        _process = process;
        _output = output;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>The address it listens on.</summary>
    public Uri Address { get; }

    /// <summary>A client for it, sending <see cref="AdminKey"/> once there is one; connections end with the process.</summary>
    public HttpClient Client { get; }

    /// <summary>The admin key <see cref="Client"/> sends (empty until there is one).</summary>
    public string AdminKey { get; private set; } = "";

    /// <summary>The exit code, once it exited (137 after <see cref="KillAsync"/>).</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>What the server wrote to stderr so far (bootstrap progress, the printed key, change-feed reports).</summary>
    public string Errors => _output.Errors;

    /// <summary>The last lines it wrote (stdout and stderr interleaved), for failure messages.</summary>
    public string RecentOutput => _output.Recent;

    /// <summary>Starts serve on <paramref name="store"/> with an admin key created first; returns once it serves.</summary>
    public static Task<ServeProcess> StartAsync(string store, params string[] extraArguments) =>
        StartAsync(store, createKey: true, extraArguments);

    /// <summary>
    /// Starts <c>graphrouter serve --store <paramref name="store"/></c> and returns once it says it is serving (after
    /// the first-start bootstrap; generously awaited). With <paramref name="createKey"/> an admin key is created first
    /// (the one place these tests get a key); without, <see cref="UsePrintedKeyAsync"/> takes the key serve prints on
    /// its first start, if it prints one.
    /// </summary>
    public static Task<ServeProcess> StartAsync(string store, bool createKey, params string[] extraArguments) =>
        StartAsync(store, createKey, new Dictionary<string, string>(), extraArguments);

    /// <summary>As <see cref="StartAsync(string, bool, string[])"/> with an admin key, with <paramref name="environment"/> added to serve's environment.</summary>
    public static Task<ServeProcess> StartWithEnvironmentAsync(string store, IReadOnlyDictionary<string, string> environment, params string[] extraArguments) =>
        StartAsync(store, createKey: true, environment, extraArguments);

    private static async Task<ServeProcess> StartAsync(string store, bool createKey, IReadOnlyDictionary<string, string> environment, string[] extraArguments)
    {
        var key = createKey ? await CreateAdminKeyAsync(store) : "";
        var start = new ProcessStartInfo(DotnetHost.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "graphrouter.dll"), "serve", "--urls", "http://127.0.0.1:0", "--no-graphiql", "--store", store }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet graphrouter.dll serve");
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new ProcessOutput(process, line =>
        {
            if (ServingLine().Match(line) is { Success: true } match)
            {
                ready.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        });
        _ = process.WaitForExitAsync().ContinueWith(_ => ready.TrySetException(new InvalidOperationException("serve exited before serving")), TaskScheduler.Default);
        Uri address;
        try
        {
            // A guard against a server that never comes up (a fresh store imports the bundled data first), not a timing assertion.
            address = await ready.Task.WaitAsync(TimeSpan.FromMinutes(5));
        }
        catch (Exception e)
        {
            var exit = process.HasExited ? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none";
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            await output.Completion;
            process.Dispose();
            throw new InvalidOperationException($"graphrouter serve did not start (exit {exit}): {e.Message}\n{output.Recent}", e);
        }

        var server = new ServeProcess(process, output, address);
        if (createKey)
        {
            server.Send(key);
        }

        return server;
    }

    /// <summary>The admin keys serve printed (lines 'graphrouter admin key: KEY') in <paramref name="output"/>.</summary>
    public static IReadOnlyList<string> PrintedKeys(string output) =>
        [.. output.Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith(PrintedKeyLine, StringComparison.Ordinal)).Select(line => line[PrintedKeyLine.Length..])];

    /// <summary>
    /// Waits for the key serve printed on its first start to reach us (stderr is read asynchronously, so it can trail
    /// the 'serving' line a moment), and makes <see cref="Client"/> send it. A guard, not a timing assertion.
    /// </summary>
    public async Task<string> UsePrintedKeyAsync()
    {
        for (var i = 0; i < 300 && PrintedKeys(Errors).Count == 0; i++)
        {
            await Task.Delay(100);
        }

        Send(PrintedKeys(Errors) is [var printed, ..] ? printed : throw new InvalidOperationException("serve printed no admin key: " + Errors));
        return AdminKey;
    }

    /// <summary>Posts a GraphQL operation with <see cref="Client"/>; returns <c>data</c>, failing the test on errors.</summary>
    public async Task<JsonElement> DataAsync(string query, object? variables = null)
    {
        using var response = await Client.PostAsJsonAsync("graphql", new { query, variables });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (response.StatusCode != HttpStatusCode.OK || body.TryGetProperty("errors", out _))
        {
            Assert.Fail($"expected data from {Address}, got HTTP {(int)response.StatusCode}: {body}");
        }

        return body.GetProperty("data");
    }

    /// <summary>Posts a GraphQL operation with another key (null: none); returns the status and the body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> CallAsync(string? key, string query, object? variables = null)
    {
        using var client = new HttpClient { BaseAddress = Address };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await client.PostAsJsonAsync("graphql", new { query, variables });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>SIGKILL, then waits for the process to be gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        await _output.Completion;
        _process.Dispose();
    }

    private static async Task<string> CreateAdminKeyAsync(string store)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GraphRouterCli.RunAsync(["keys", "create", "--name", "tests-" + Guid.NewGuid().ToString("N")[..12], "--role", "admin", "--store", store], output, error);
        return exit == 0 ? output.ToString().Trim() : throw new InvalidOperationException($"graphrouter keys create failed ({exit}): {error}");
    }

    private void Send(string key)
    {
        AdminKey = key;
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    [GeneratedRegex(@"^graphrouter serving (?<url>http://[^\s,]+)")]
    private static partial Regex ServingLine();
}
