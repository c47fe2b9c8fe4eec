using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace GraphRouter.Cli.Tests;

/// <summary>
/// A real <c>graphrouter serve</c> process (<c>dotnet graphrouter.dll</c>) on a free loopback port, started and
/// awaited until it prints that it serves; its stderr is kept for failure messages. Killed on dispose. Its client
/// sends an admin key: one created with <c>graphrouter keys create</c> before the start, or (when the test asks for
/// none) the one serve prints on a store that never had a key.
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly HttpClient _client;

    private ServeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        _client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri Address { get; }

    /// <summary>The admin key the client sends.</summary>
    public string AdminKey { get; private set; } = "";

    /// <summary>What the server wrote to stderr so far (bootstrap progress, change-feed reports).</summary>
    public string Errors
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <c>graphrouter serve --store <paramref name="store"/></c> and waits (generously) until it serves. With
    /// <paramref name="createKey"/> an admin key is created first (the one place these tests get a key); without, the
    /// client uses the key serve prints on its first start, if it prints one.
    /// </summary>
    public static async Task<ServeProcess> StartAsync(string store, bool createKey = true, params string[] extraArguments)
    {
        var key = "";
        if (createKey)
        {
            var created = await Graphrouter.RunInProcessAsync("keys", "create", "--name", "tests-" + Guid.NewGuid().ToString("N")[..12], "--role", "admin", "--store", store);
            if (created.ExitCode != 0)
            {
                throw new InvalidOperationException($"graphrouter keys create failed ({created.ExitCode}): {created.Error}");
            }
            key = created.Output.Trim();
        }
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Graphrouter.DllPath, "serve", "--urls", $"http://127.0.0.1:{port}", "--no-graphiql", "--store", store }.Concat(extraArguments))
        {
            start.ArgumentList.Add(a);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
        var server = new ServeProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.ErrorDataReceived += (_, e) =>
        {
            lock (server._stderr)
            {
                server._stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        var serving = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("graphrouter serving", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            return false;
        });
        var started = await Task.WhenAny(serving, Task.Delay(TimeSpan.FromMinutes(5))) == serving && await serving;
        if (!started)
        {
            var errors = server.Errors;
            await server.DisposeAsync();
            throw new InvalidOperationException($"graphrouter serve did not start (exit {(process.HasExited ? process.ExitCode : "none")}): {errors}");
        }
        if (createKey)
        {
            server.AdminKey = key;
            server._client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }
        // Drain the rest of stdout so the process never blocks on a full pipe.
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is not null)
            {
            }
        });
        return server;
    }

    /// <summary>Posts a GraphQL operation; returns <c>data</c>, failing the test on errors.</summary>
    public async Task<JsonElement> DataAsync(string query, object? variables = null)
    {
        using var response = await _client.PostAsJsonAsync("graphql", new { query, variables });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (response.StatusCode != HttpStatusCode.OK || body.TryGetProperty("errors", out _))
        {
            Assert.Fail($"expected data from {Address}, got HTTP {(int)response.StatusCode}: {body}");
        }
        return body.GetProperty("data");
    }

    /// <summary>The admin keys serve printed (lines 'graphrouter admin key: KEY') in <paramref name="output"/>.</summary>
    public static IReadOnlyList<string> PrintedKeys(string output) =>
        [.. output.Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith(PrintedKeyLine, StringComparison.Ordinal)).Select(line => line[PrintedKeyLine.Length..])];

    private const string PrintedKeyLine = "graphrouter admin key: ";

    /// <summary>
    /// Waits for the key serve printed on its first start to reach us (stderr is read asynchronously, so it can
    /// trail the 'serving' line a moment), and makes the client send it. A guard, not a timing assertion.
    /// </summary>
    public async Task<string> UsePrintedKeyAsync()
    {
        for (var i = 0; i < 300 && PrintedKeys(Errors).Count == 0; i++)
        {
            await Task.Delay(100);
        }
        AdminKey = PrintedKeys(Errors) is [var printed, ..] ? printed : throw new InvalidOperationException("serve printed no admin key: " + Errors);
        _client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        return AdminKey;
    }

    /// <summary>Posts a GraphQL operation with another key (null: none); returns the status and the body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> CallAsync(string? key, string query, object? variables = null)
    {
        using var client = new HttpClient { BaseAddress = Address };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }
        using var response = await client.PostAsJsonAsync("graphql", new { query, variables });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
