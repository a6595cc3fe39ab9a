using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Meter.Linux.Tests.Runtime;

/// <summary>`cgrid-meter --help` and `--version` answer and exit 0; they are questions, not usage errors.</summary>
public sealed class HelpAndVersionTests
{
    [Theory]
    [InlineData("--help", "usage: cgrid-meter --config FILE")]
    [InlineData("-h", "usage: cgrid-meter --config FILE")]
    [InlineData("--version", "1.0.0")]
    public async Task Answers_and_exits_0(string argument, string expected)
    {
        (int exit, string stdout, string stderr) = await RunAsync(argument);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Contains(expected, stdout);
    }

    [Fact]
    public async Task A_wrong_argument_is_still_bad_usage()
    {
        (int exit, _, string stderr) = await RunAsync("--helpme");
        Assert.Equal(2, exit);
        Assert.Contains("unknown argument", stderr);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string argument)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cgrid-meter.dll"));
        info.ArgumentList.Add(argument);
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
