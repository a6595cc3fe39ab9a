using System;
using System.Diagnostics;
using System.IO;

namespace CommunityGrid.Cli.Tests;

/// <summary>Runs the real cgrid executable (built beside the tests) as a separate process.</summary>
public static class CgridProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string? stdin, params string[] args)
    {
        string cgrid = Path.Combine(AppContext.BaseDirectory, "cgrid.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(cgrid);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet cgrid.dll");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }
        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cgrid {string.Join(' ', args)} did not finish within {Timeout}");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
