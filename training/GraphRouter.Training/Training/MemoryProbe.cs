using System.Runtime.InteropServices;

namespace GraphRouter.Training.Training;

/// <summary>Resident memory of this process, and glibc's malloc_trim to hand freed heap pages back to the OS.</summary>
public static partial class MemoryProbe
{
    /// <summary>VmRSS from /proc/self/status, in MiB; 0 where there is no /proc.</summary>
    public static double ResidentMegabytes()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
        {
            return 0;
        }
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                return kb / 1024.0;
            }
        }
        return 0;
    }

    /// <summary>
    /// Releases free memory at the top of glibc's heaps and arenas. libtorch frees many short-lived buffers
    /// per step; without this, glibc keeps them and resident memory creeps up epoch after epoch.
    /// <para>
    /// What is left after it is measured (default config, 80 epochs, mallinfo2 and /proc/self/smaps): live
    /// tensors, the managed heap and glibc's bytes in use stay flat (408 tensors, ~32 MiB, ~93 MiB), but the
    /// variable-sized batches fragment glibc's main heap: its free space grows, and every free chunk keeps its
    /// partly used pages resident, so [heap] creeps up by a shrinking amount (~0.7 MiB per epoch over the first 40
    /// epochs, ~0.2 over the next 40). The per-thread cache of small chunks is what pins the holes:
    /// with <c>GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0</c> in the environment the heap
    /// stops growing by epoch 30 (which mallopt cannot do from inside the process: tcache has no mallopt knob).
    /// </para>
    /// </summary>
    public static void TrimNativeHeap()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                _ = MallocTrim(0);
            }
            catch (DllNotFoundException)
            {
                // not glibc (e.g. musl): nothing to trim
            }
            catch (EntryPointNotFoundException)
            {
                // not glibc (e.g. musl): nothing to trim
            }
        }
    }

    /// <summary>
    /// Where resident memory sits (for GRAPHROUTER_MEMORY_DETAIL=1): glibc's bytes in use and free over all arenas
    /// (mallinfo2), the managed heap after the last GC, and libtorch's live tensor count as the caller passes it.
    /// </summary>
    public static string Detail()
    {
        var managed = GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0;
        var text = FormattableString.Invariant($"managed heap {managed:F1} MiB");
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var info = MallInfo2();
                text += FormattableString.Invariant($"; malloc arena {info.Arena / 1048576.0:F1} MiB, in use {info.InUse / 1048576.0:F1}, free {info.Free / 1048576.0:F1}, mmapped {info.Mmapped / 1048576.0:F1}");
            }
            catch (EntryPointNotFoundException)
            {
                // glibc before 2.33, or not glibc
            }
            catch (DllNotFoundException)
            {
                // not glibc
            }
        }
        return text;
    }

    /// <summary>glibc's struct mallinfo2 (all size_t), the fields read here named.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallocInfo
    {
        public readonly nuint Arena;
        private readonly nuint _ordblks;
        private readonly nuint _smblks;
        private readonly nuint _hblks;
        public readonly nuint Mmapped;
        private readonly nuint _usmblks;
        private readonly nuint _fsmblks;
        public readonly nuint InUse;
        public readonly nuint Free;
        private readonly nuint _keepcost;
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial MallocInfo MallInfo2();

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
