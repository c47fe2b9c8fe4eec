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

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
