using System.Collections;
using System.Runtime.InteropServices;

namespace GraphRouter.Training.Training;

/// <summary>
/// Makes graphrouter-train run with glibc's per-thread cache and fast bins turned off, so that its resident
/// memory stays flat across epochs and across the training runs of a long-lived worker.
/// <para>
/// Why (measured, see training/results/experiments.md): libtorch frees many short-lived, variably sized buffers
/// per step; glibc's tcache pins the holes they leave in the main heap, so [heap] RSS creeps up epoch after epoch
/// (~0.7 MiB per epoch) although live tensors, the managed heap and malloc's bytes in use are flat. Only
/// <c>GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0</c> stops it, and the dynamic loader reads
/// tunables once, at process start (tcache has no mallopt knob). So the command re-executes itself, once, with
/// that setting added to the environment: <c>execve</c> of <c>/proc/self/exe</c> with the same argv, before any
/// work is done. Same pid, same stdio, so signals and exit codes behave as if nothing happened.
/// </para>
/// <para>
/// Nothing is done where it does not apply: not Linux, not glibc, the setting already present (which is also what
/// stops a second re-exec), or <see cref="OptOutVariable"/> set to 1.
/// </para>
/// </summary>
public static partial class NativeHeapTuning
{
    /// <summary>The glibc tunables the training processes run with.</summary>
    public const string Tunables = "glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0";

    /// <summary>Set to 1 to keep glibc's default allocator settings (for measuring the difference).</summary>
    public const string OptOutVariable = "GRAPHROUTER_DEFAULT_MALLOC";

    private const string TunablesVariable = "GLIBC_TUNABLES";

    /// <summary>Whether this process runs with <see cref="Tunables"/> in effect (as far as the environment says).</summary>
    public static bool Active => Environment.GetEnvironmentVariable(TunablesVariable)?.Contains("glibc.malloc.tcache_count=0", StringComparison.Ordinal) == true;

    /// <summary>One line for logs: which allocator settings this process runs with.</summary>
    public static string Describe() => Active
        ? $"native heap: {TunablesVariable}={Environment.GetEnvironmentVariable(TunablesVariable)}"
        : "native heap: glibc defaults";

    /// <summary>
    /// Re-executes this process with <see cref="Tunables"/> when it applies (see the class summary); returns only when
    /// it does not apply or the re-exec failed (then the process goes on with the default allocator).
    /// </summary>
    public static void ReexecuteIfNeeded()
    {
        if (!OperatingSystem.IsLinux() || Active || Environment.GetEnvironmentVariable(OptOutVariable) == "1" || !IsGlibc())
        {
            return;
        }
        string[] argv;
        try
        {
            argv = File.ReadAllText("/proc/self/cmdline").Split('\0');
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }
        // cmdline ends with a NUL, so the split leaves one empty string at the end.
        if (argv.Length < 2 || argv[^1].Length != 0)
        {
            return;
        }
        argv = argv[..^1];

        var existing = Environment.GetEnvironmentVariable(TunablesVariable);
        var tunables = string.IsNullOrEmpty(existing) ? Tunables : existing + ":" + Tunables;
        var environment = new List<string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (name != TunablesVariable)
            {
                environment.Add(name + "=" + (string?)entry.Value);
            }
        }
        environment.Add(TunablesVariable + "=" + tunables);
        Execute("/proc/self/exe", argv, environment);
    }

    private static bool IsGlibc()
    {
        try
        {
            return GnuGetLibcVersion() != 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static unsafe void Execute(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment)
    {
        var allocated = new List<nint>();
        try
        {
            nint Utf8(string text)
            {
                var pointer = Marshal.StringToCoTaskMemUTF8(text);
                allocated.Add(pointer);
                return pointer;
            }
            var argPointers = new nint[argv.Count + 1];
            for (var i = 0; i < argv.Count; i++)
            {
                argPointers[i] = Utf8(argv[i]);
            }
            var envPointers = new nint[environment.Count + 1];
            for (var i = 0; i < environment.Count; i++)
            {
                envPointers[i] = Utf8(environment[i]);
            }
            var pathPointer = Utf8(path);
            Console.Out.Flush();
            Console.Error.Flush();
            fixed (nint* args = argPointers)
            fixed (nint* env = envPointers)
            {
                // Returns only on failure; the process then goes on as it is.
                _ = ExecuteNative(pathPointer, args, env);
            }
        }
        finally
        {
            foreach (var pointer in allocated)
            {
                Marshal.FreeCoTaskMem(pointer);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static partial nint GnuGetLibcVersion();

    [LibraryImport("libc", EntryPoint = "execve", SetLastError = true)]
    private static unsafe partial int ExecuteNative(nint path, nint* argv, nint* environment);
}
