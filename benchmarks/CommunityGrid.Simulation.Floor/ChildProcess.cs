using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace CommunityGrid.Simulation.Floor;

/// <summary>Runs `dotnet cgrid.dll ARGS` as a user does and measures it.</summary>
public static class ChildProcess
{
    /// <param name="Cpu">User + system seconds of the process and all its threads.</param>
    public sealed record Times(double Wall, double Cpu);

    public static Times Run(string cgrid, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cgrid);
        foreach (string a in arguments) start.ArgumentList.Add(a);
        double childCpuBefore = ChildrenCpuSeconds();
        var wall = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        wall.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException($"cgrid {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}: {stdout.Result}{stderr.Result}");
        return new Times(wall.Elapsed.TotalSeconds, ChildrenCpuSeconds() - childCpuBefore);
    }

    /// <summary>CPU seconds of this process's waited-for children (/proc/self/stat cutime + cstime, in clock ticks of 1/100 s).</summary>
    private static double ChildrenCpuSeconds()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the command name: field 3 is index 0, so cutime (16) and cstime (17) are 13 and 14.
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
    }
}
