using System;
using System.Diagnostics;
using System.IO;

namespace CommunityGrid.Api;

/// <summary>
/// The gateway process's own figures under the names Prometheus client libraries use (process_*), read from the
/// .NET runtime and, for open file descriptors, from /proc (null where /proc is missing).
/// </summary>
public sealed record ProcessFigures(
    long ResidentMemoryBytes,
    long VirtualMemoryBytes,
    double CpuSeconds,
    long StartTimeUnixSeconds,
    long? OpenFileDescriptors,
    long GcHeapBytes)
{
    public static ProcessFigures Read()
    {
        using Process self = Process.GetCurrentProcess();
        return new ProcessFigures(
            self.WorkingSet64,
            self.VirtualMemorySize64,
            self.TotalProcessorTime.TotalSeconds,
            new DateTimeOffset(self.StartTime.ToUniversalTime()).ToUnixTimeSeconds(),
            CountOpenFileDescriptors(),
            GC.GetTotalMemory(forceFullCollection: false));
    }

    private static long? CountOpenFileDescriptors()
    {
        const string fdDirectory = "/proc/self/fd";
        if (!Directory.Exists(fdDirectory)) return null;
        long count = 0;
        foreach (string _ in Directory.EnumerateFileSystemEntries(fdDirectory)) count++;
        // The enumeration's own descriptor is among those listed.
        return Math.Max(0, count - 1);
    }
}
