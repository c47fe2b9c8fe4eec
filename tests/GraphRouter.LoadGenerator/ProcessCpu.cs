using System.Diagnostics;
using System.Globalization;

namespace GraphRouter.LoadGenerator;

/// <summary>
/// CPU time consumed by a process so far, in user mode and in the kernel: the server's from <c>/proc/PID/stat</c>
/// (fields 14 and 15, in clock ticks of 10 ms on Linux), this load generator's from <see cref="Process"/>. Read at the
/// start and end of a phase, the differences divided by the requests give each side's CPU per request.
/// </summary>
public static class ProcessCpu
{
    /// <summary>Linux's USER_HZ: <c>/proc</c> reports CPU time in hundredths of a second on every mainstream kernel.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>The process's CPU time, or null when <paramref name="pid"/> is null or its stat cannot be read.</summary>
    public static CpuTimes? Of(int? pid)
    {
        if (pid is not { } id)
        {
            return null;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{id}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return new CpuTimes(Ticks(fields[11]), Ticks(fields[12]));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>This process's CPU time.</summary>
    public static CpuTimes Self()
    {
        using var self = Process.GetCurrentProcess();
        return new CpuTimes(self.UserProcessorTime, self.PrivilegedProcessorTime);
    }

    private static TimeSpan Ticks(string field) => TimeSpan.FromSeconds(long.Parse(field, CultureInfo.InvariantCulture) / TicksPerSecond);
}

/// <summary>CPU time in user mode and in the kernel (system calls, and here mostly loopback TCP).</summary>
public readonly record struct CpuTimes(TimeSpan User, TimeSpan System)
{
    public TimeSpan Total => User + System;

    public static CpuTimes operator -(CpuTimes end, CpuTimes start) => new(end.User - start.User, end.System - start.System);
}
