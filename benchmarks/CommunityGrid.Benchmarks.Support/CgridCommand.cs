using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace CommunityGrid.Benchmarks.Support;

/// <summary>The cgrid command line as a child process: the cgrid.dll built beside the harness, or another build to compare.</summary>
public static class CgridCommand
{
    public static string BesideHarness => Path.Combine(AppContext.BaseDirectory, "cgrid.dll");

    /// <summary>
    /// `dotnet CGRID ARGS...` with stdout and stderr redirected (the caller must drain them); a path not ending in .dll is
    /// run as it is (the single-file program build/publish.sh makes, as a gateway host installs it).
    /// </summary>
    public static ProcessStartInfo StartInfo(string cgridDll, IEnumerable<string> args)
    {
        if (!File.Exists(cgridDll)) throw new FileNotFoundException($"{cgridDll} does not exist; build the Cli project (or give --cgrid the cgrid.dll of a build, or a published cgrid)");
        bool published = !cgridDll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(published ? cgridDll : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (!published) start.ArgumentList.Add(cgridDll);
        foreach (string a in args) start.ArgumentList.Add(a);
        return start;
    }

    /// <param name="Cpu">User + system seconds of the process and all its threads.</param>
    public sealed record Times(double Wall, double Cpu);

    /// <summary>Runs `dotnet CGRID ARGS...` to its end as a user does and times it; a non-zero exit throws with its output.</summary>
    public static Times Run(string cgridDll, IEnumerable<string> args)
    {
        ProcessStartInfo start = StartInfo(cgridDll, args);
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
