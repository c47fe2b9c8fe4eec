using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GraphRouter.Storage.Tests.Postgres;

/// <summary>
/// The PostgreSQL server the tests use: the one <c>GRAPHROUTER_TEST_POSTGRES</c> names, else a throw-away
/// cluster started here (initdb and pg_ctl on a free port in a temp folder, as the <c>postgres</c> user
/// when running as root) and stopped when the test process exits. One per test run.
/// </summary>
public sealed class PostgresServer
{
    public const string EnvironmentVariable = "GRAPHROUTER_TEST_POSTGRES";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);
    private static int _databases;

    private PostgresServer(string adminConnectionString) => AdminConnectionString = adminConnectionString;

    /// <summary>A connection string with the right to create databases.</summary>
    public string AdminConnectionString { get; }

    /// <summary>True on a CI runner, where a missing server fails the tests instead of skipping them.</summary>
    public static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why no server can be had here, or null when one is configured or can be started.</summary>
    public static string? UnavailableReason =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable)) || FindBinaries() is not null
            ? null
            : $"no PostgreSQL: set {EnvironmentVariable} to a connection string, or install PostgreSQL (initdb and pg_ctl on PATH or in /usr/lib/postgresql/*/bin)";

    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose)
    {
        var name = $"gr_{purpose.ToLowerInvariant()}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Drops a database that <see cref="CreateDatabaseAsync"/> made, closing its connections.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return new PostgresServer(configured);
        }
        var binaries = FindBinaries() ?? throw new InvalidOperationException(UnavailableReason);
        return await StartClusterAsync(binaries);
    }

    private static string? FindBinaries()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).ToList();
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }
        foreach (var dir in candidates)
        {
            var initdb = Path.Combine(dir, "initdb");
            if (!File.Exists(initdb))
            {
                continue;
            }
            // initdb on PATH is often a link into the version's bin folder, where pg_ctl and postgres sit beside it.
            var resolved = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb;
            var bin = Path.GetDirectoryName(resolved)!;
            if (File.Exists(Path.Combine(bin, "pg_ctl")) && File.Exists(Path.Combine(bin, "postgres")))
            {
                return bin;
            }
        }
        return null;
    }

    private static async Task<PostgresServer> StartClusterAsync(string bin)
    {
        RemoveLeftovers();
        var root = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb refuses to run as root: the cluster belongs to the postgres system user.
            if (await RunAsync("id", ["-u", "postgres"], asPostgres: false, throwOnError: false) != 0)
            {
                await RunAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"], asPostgres: false);
            }
            await RunAsync("chown", ["-R", "postgres", root], asPostgres: false);
        }
        var port = FreePort();
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"], asRoot);
        var options = $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-o", options, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "start"], asRoot);

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            NpgsqlConnection.ClearAllPools();
            RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], asRoot, throwOnError: false).GetAwaiter().GetResult();
            TryDelete(root);
        };
        return new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Timeout=30;Command Timeout=300");
    }

    private const string FolderPrefix = "graphrouter-pg-";

    /// <summary>Deletes the folders of earlier test runs whose process is gone (a killed test host cannot clean up after itself).</summary>
    private static void RemoveLeftovers()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var pid = Path.GetFileName(folder)[FolderPrefix.Length..].Split('-')[0];
            if (int.TryParse(pid, out var id) && !Directory.Exists($"/proc/{id}") && !File.Exists(Path.Combine(folder, "data", "postmaster.pid")))
            {
                TryDelete(folder);
            }
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is harmless; the next run removes it.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<int> RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres, bool throwOnError = true)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgres ? "runuser" : program,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (throwOnError && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stdout}{await stderr}");
        }
        return process.ExitCode;
    }
}
