using System;
using System.Diagnostics;
using System.IO;

namespace CommunityGrid.Node.Tests.Support;

/// <summary>Runs a one-shot <c>cgrid</c> command (cgrid.dll beside the tests) as its own process.</summary>
public static class CgridRun
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    public static Result Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cgrid.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet cgrid.dll");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cgrid {string.Join(' ', args)} did not finish within 2 minutes");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs and asserts exit 0; returns stdout trimmed.</summary>
    public static string Ok(params string[] args)
    {
        Result result = Run(args);
        Assert.True(result.ExitCode == 0, $"cgrid {string.Join(' ', args)}: {result}");
        return result.Stdout.Trim();
    }
}
