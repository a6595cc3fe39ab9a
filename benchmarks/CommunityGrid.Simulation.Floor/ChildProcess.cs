using System;
using System.Collections.Generic;
using System.Diagnostics;
using CommunityGrid.Benchmarks.Support;

namespace CommunityGrid.Simulation.Floor;

/// <summary>Runs `dotnet cgrid.dll ARGS` as a user does and measures it.</summary>
public static class ChildProcess
{
    /// <param name="Cpu">User + system seconds of the process and all its threads.</param>
    public sealed record Times(double Wall, double Cpu);

    public static Times Run(string cgrid, IEnumerable<string> arguments)
    {
        ProcessStartInfo start = CgridCommand.StartInfo(cgrid, arguments);
        double childCpuBefore = ProcFigures.ChildrenCpuSeconds();
        var wall = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        wall.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException($"cgrid {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}: {stdout.Result}{stderr.Result}");
        return new Times(wall.Elapsed.TotalSeconds, ProcFigures.ChildrenCpuSeconds() - childCpuBefore);
    }
}
