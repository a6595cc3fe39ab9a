using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace CommunityGrid.Benchmarks.Support;

/// <summary>The cgrid command line as a child process: the cgrid.dll built beside the harness, or another build to compare.</summary>
public static class CgridCommand
{
    public static string BesideHarness => Path.Combine(AppContext.BaseDirectory, "cgrid.dll");

    /// <summary>`dotnet CGRID ARGS...` with stdout and stderr redirected (the caller must drain them).</summary>
    public static ProcessStartInfo StartInfo(string cgridDll, IEnumerable<string> args)
    {
        if (!File.Exists(cgridDll)) throw new FileNotFoundException($"{cgridDll} does not exist; build the Cli project (or give --cgrid the cgrid.dll of a build)");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cgridDll);
        foreach (string a in args) start.ArgumentList.Add(a);
        return start;
    }
}
