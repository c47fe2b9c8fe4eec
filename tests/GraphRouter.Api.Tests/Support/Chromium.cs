using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphRouter.Api.Tests.Support;

/// <summary>
/// Headless Chromium driven over the DevTools protocol (a WebSocket, JSON commands): enough to load a page,
/// evaluate script in it, collect its console and log messages, and capture a screenshot. Started with the flags
/// that keep it off the network (this machine has none but loopback) and a throw-away profile.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _receiver;
    private int _nextId;

    private Chromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? ExecutablePath
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("GRAPHROUTER_CHROMIUM");
            if (!string.IsNullOrEmpty(configured))
            {
                return File.Exists(configured) ? configured : null;
            }

            return File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null;
        }
    }

    /// <summary>Events the page reported (console calls, log entries, uncaught exceptions), as "method: text".</summary>
    public ConcurrentQueue<string> Messages { get; } = new();

    public static async Task<Chromium> LaunchAsync(int width, int height, TimeSpan startTimeout)
    {
        var executable = ExecutablePath ?? throw new InvalidOperationException("Chromium is not installed (apt-get install chromium).");
        var profile = Directory.CreateTempSubdirectory("graphrouter-chromium-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio", "--remote-debugging-port=0",
            $"--user-data-dir={profile}", $"--window-size={width},{height}", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new Chromium(process, profile);
        try
        {
            await browser.AttachToFirstPageAsync(startTimeout);
            await browser.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private async Task AttachToFirstPageAsync(TimeSpan timeout)
    {
        // Chromium writes the port it chose to DevToolsActivePort in the profile once it listens.
        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow + timeout;
        while (!File.Exists(portFile) || new FileInfo(portFile).Length == 0)
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Chromium did not open its DevTools port (exited: {_process.HasExited}).");
            }

            await Task.Delay(50);
        }

        var port = int.Parse((await File.ReadAllLinesAsync(portFile))[0], System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        string? pageSocket = null;
        while (pageSocket is null)
        {
            var targets = JsonNode.Parse(await http.GetStringAsync(new Uri("/json/list", UriKind.Relative)))!.AsArray();
            pageSocket = targets.FirstOrDefault(target => (string?)target!["type"] == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
            if (pageSocket is null)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException("Chromium has no page target.");
                }

                await Task.Delay(50);
            }
        }

        await _socket.ConnectAsync(new Uri(pageSocket), CancellationToken.None);
        _receiver = Task.Run(ReceiveAsync);
        await SendAsync("Page.enable");
        await SendAsync("Runtime.enable");
        await SendAsync("Log.enable");
    }

    /// <summary>Sends one DevTools command and returns its <c>result</c>; a protocol error throws.</summary>
    public async Task<JsonNode> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        return await reply.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its JSON value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException("Script failed in the page: " + exception.ToJsonString());
        }

        return result["result"]?["value"];
    }

    /// <summary>Polls a boolean expression until it holds; the timeout only bounds a page that never gets there.</summary>
    public async Task WaitForAsync(string expression, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await EvaluateAsync(expression);
            if (value is JsonValue json && json.TryGetValue<bool>(out var ok) && ok)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The page never showed {what}. Page messages:\n{string.Join("\n", Messages)}");
            }

            await Task.Delay(100);
        }
    }

    public async Task NavigateAsync(Uri url) =>
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });

    public async Task<byte[]> ScreenshotAsync()
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        return Convert.FromBase64String(result["data"]!.GetValue<string>());
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var received = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }

                var node = JsonNode.Parse(message.ToArray())!;
                message.SetLength(0);
                if (node["id"] is { } idNode && _pending.TryRemove(idNode.GetValue<int>(), out var reply))
                {
                    if (node["error"] is { } error)
                    {
                        reply.SetException(new InvalidOperationException("DevTools error: " + error.ToJsonString()));
                    }
                    else
                    {
                        reply.SetResult(node["result"] ?? new JsonObject());
                    }
                }
                else if (node["method"]?.GetValue<string>() is { } method
                    && method is "Runtime.consoleAPICalled" or "Runtime.exceptionThrown" or "Log.entryAdded")
                {
                    Messages.Enqueue(method + ": " + node["params"]!.ToJsonString());
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // The browser is going away.
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new InvalidOperationException("The DevTools connection closed."));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
        }

        if (_receiver is not null)
        {
            await _receiver.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium's helpers may still hold a file for a moment; the profile is in the temp folder anyway.
        }
    }
}
