using System.Globalization;
using System.IO;
using System.Linq;

namespace CommunityGrid.Benchmarks.Support;

/// <summary>
/// CPU time and memory as Linux accounts them in /proc (proc(5)): clock ticks of 1/100 s for CPU, kB for memory.
/// A process's own figures can be read while it runs; its children's CPU only once they were waited for.
/// </summary>
public static class ProcFigures
{
    private const double TicksPerSecond = 100.0;

    /// <summary>User + system CPU seconds of process <paramref name="pid"/>, all its threads (utime + stime).</summary>
    public static double CpuSeconds(int pid)
    {
        string[] fields = StatFields(pid.ToString(CultureInfo.InvariantCulture));
        // After the command name field 3 is index 0, so utime (14) and stime (15) are 11 and 12.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>CPU seconds of this process's waited-for children (cutime + cstime).</summary>
    public static double ChildrenCpuSeconds()
    {
        string[] fields = StatFields("self");
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>Resident set now (VmRSS) and at its peak (VmHWM), in MiB.</summary>
    public static (double RssMiB, double PeakMiB) Memory(int pid)
    {
        double rss = 0, peak = 0;
        foreach (string line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmRSS:", System.StringComparison.Ordinal)) rss = Kilobytes(line) / 1024.0;
            else if (line.StartsWith("VmHWM:", System.StringComparison.Ordinal)) peak = Kilobytes(line) / 1024.0;
        }
        return (rss, peak);
    }

    /// <summary>
    /// Where the resident set is, in MiB (proc(5) status): the peak (VmHWM), now (VmRSS) and its parts now: anonymous
    /// (GC heap, malloc, stacks), file-backed (mapped runtime and libraries), shared (the JIT's double-mapped code);
    /// and the thread count.
    /// </summary>
    public static string MemoryBreakdown(int pid)
    {
        var figures = new System.Collections.Generic.Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (string line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0) continue;
            string name = line[..colon];
            if (name is "VmHWM" or "VmRSS" or "RssAnon" or "RssFile" or "RssShmem")
            {
                figures[name] = (Kilobytes(line) / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " MiB";
            }
            else if (name == "Threads") figures[name] = line[(colon + 1)..].Trim();
        }
        return string.Join(", ", new[] { "VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem", "Threads" }
            .Where(figures.ContainsKey).Select(n => $"{n} {figures[n]}"));
    }

    private static long Kilobytes(string line) =>
        long.Parse(line[(line.IndexOf(':') + 1)..].Replace("kB", "", System.StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);

    private static string[] StatFields(string pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }
}
