using System.Globalization;
using System.IO;

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

    private static long Kilobytes(string line) =>
        long.Parse(line[(line.IndexOf(':') + 1)..].Replace("kB", "", System.StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);

    private static string[] StatFields(string pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }
}
