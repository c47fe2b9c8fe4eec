using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace GraphRouter.Storage.Postgres;

/// <summary>
/// LISTENs to the change log's channel on a dedicated, unpooled connection and wakes the store's waiters
/// when a change commits (the trigger of migration 0006 notifies at commit). The connection is watched:
/// when it drops, waiters fall back to short polls while it reconnects with back-off, and on every
/// (re)connect and every idle interval the log's highest sequence is read, so a notification lost with a
/// connection is made up for. Callers read the log by sequence, so nothing is missed either way.
/// </summary>
internal sealed class PostgresChangeListener : IAsyncDisposable
{
    public const string Channel = "graphrouter_changes";

    /// <summary>The application_name of the listening connection (tests find and terminate it by this name).</summary>
    public const string ApplicationName = "graphrouter-change-listener";

    // While disconnected, a wait returns after this long so that the caller polls the log.
    private static readonly TimeSpan PollWhileDown = TimeSpan.FromMilliseconds(250);
    // With no notification for this long, the connection is checked (and the latest sequence re-read).
    private const int IdleCheckMilliseconds = 5_000;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _dataSource;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _latest;
    private volatile bool _listening;
    private TaskCompletionSource _pulse = NewPulse();

    public PostgresChangeListener(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = ApplicationName,
            // TCP-level liveness for a connection that only waits: a dead peer is noticed in seconds.
            TcpKeepAlive = true,
            TcpKeepAliveTime = 5,
            TcpKeepAliveInterval = 2,
        };
        _dataSource = NpgsqlDataSource.Create(builder);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>True while the LISTEN connection is up.</summary>
    public bool Listening => _listening;

    /// <summary>
    /// Returns at once when a change after <paramref name="afterSequence"/> is known; else when the next
    /// notification arrives (of any sequence: a lower one may fill a gap the caller is waiting on), when the
    /// connection drops, or when <paramref name="maxWait"/> elapsed. While disconnected it returns after a
    /// short poll interval (the caller reads the log), unless the connection comes up first: then it checks
    /// the latest sequence and goes on waiting for notifications.
    /// </summary>
    public async Task WaitAsync(long afterSequence, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var pulse = Volatile.Read(ref _pulse);
            var listening = _listening;
            var remaining = maxWait - Stopwatch.GetElapsedTime(started);
            if (Interlocked.Read(ref _latest) > afterSequence || remaining <= TimeSpan.Zero)
            {
                return;
            }
            try
            {
                await pulse.Task.WaitAsync(listening || remaining < PollWhileDown ? remaining : PollWhileDown, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Nothing arrived in time (or, while disconnected, a poll interval passed): the caller reads the log.
                return;
            }
            if (listening)
            {
                return;
            }
            // Was disconnected and something happened (most often: connected, the latest sequence read): check again.
        }
    }

    private async Task RunAsync()
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(_stop.Token);
                connection.Notification += (_, e) =>
                {
                    if (long.TryParse(e.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
                    {
                        Raise(sequence);
                    }
                    Pulse();
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(_stop.Token);
                }
                // Listening from here on; what committed before is read from the log.
                Raise(await LatestAsync(connection));
                _listening = true;
                backoff = TimeSpan.FromMilliseconds(100);
                Pulse();
                while (true)
                {
                    if (!await connection.WaitAsync(IdleCheckMilliseconds, _stop.Token))
                    {
                        // Idle: proves the connection alive and catches up on anything missed.
                        if (Raise(await LatestAsync(connection)))
                        {
                            Pulse();
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The connection dropped or could not be opened (or anything else went wrong): waiters poll until it is back.
                _listening = false;
                Pulse();
                Trace.TraceWarning($"graphrouter change listener: {e.Message}; reconnecting in {backoff.TotalMilliseconds:0} ms");
                try
                {
                    await Task.Delay(backoff, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
            }
        }
        _listening = false;
    }

    private async Task<long> LatestAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(seq), 0) FROM change_log", connection);
        return (long)(await command.ExecuteScalarAsync(_stop.Token))!;
    }

    /// <summary>Raises the highest known sequence to <paramref name="sequence"/>; true when it rose.</summary>
    private bool Raise(long sequence)
    {
        var current = Interlocked.Read(ref _latest);
        while (sequence > current)
        {
            var seen = Interlocked.CompareExchange(ref _latest, sequence, current);
            if (seen == current)
            {
                return true;
            }
            current = seen;
        }
        return false;
    }

    /// <summary>Wakes every current waiter; later waiters wait for the next pulse.</summary>
    private void Pulse() => Interlocked.Exchange(ref _pulse, NewPulse()).TrySetResult();

    private static TaskCompletionSource NewPulse() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        Pulse();
        await _dataSource.DisposeAsync();
        _stop.Dispose();
    }
}
