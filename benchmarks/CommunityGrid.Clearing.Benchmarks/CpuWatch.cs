using System;
using System.Diagnostics;

namespace CommunityGrid.Clearing.Benchmarks;

/// <summary>
/// The process's CPU time since construction (all threads: the GC's work counts, which is part of the cost).
/// On a machine shared with other jobs it moves far less than wall time, which includes waiting for a core.
/// </summary>
internal sealed class CpuWatch
{
    private readonly TimeSpan start = Process.GetCurrentProcess().TotalProcessorTime;

    public TimeSpan Elapsed => Process.GetCurrentProcess().TotalProcessorTime - start;
}
