using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Cli.Tests.Support;

namespace CommunityGrid.Cli.Tests.Deploy;

/// <summary>
/// deploy/systemd/*.service pass `systemd-analyze verify` without a single complaint (an unknown key or a key in the
/// wrong section is only a warning to systemd, and silently ignored at run time, so any output fails the test).
/// The programs are not installed here, so ExecStart is pointed at /bin/true for the check.
/// </summary>
public sealed class SystemdUnitTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("cgrid-units-").FullName;

    [Theory]
    [InlineData("communitygrid-gateway.service", "/usr/local/bin/cgrid gateway run @/etc/communitygrid/gateway.conf")]
    [InlineData("cgrid-meter.service", "/usr/local/bin/cgrid-meter --config /etc/cgrid-meter/meter.json")]
    public async Task The_unit_verifies_cleanly(string unit, string execStart)
    {
        string text = File.ReadAllText(Path.Combine(Repository.Root(), "deploy", "systemd", unit));
        Assert.Contains("ExecStart=" + execStart + "\n", text);
        string copy = Path.Combine(scratch, unit);
        File.WriteAllText(copy, Regex.Replace(text, @"^ExecStart=\S+", "ExecStart=/bin/true", RegexOptions.Multiline));

        var start = new ProcessStartInfo("systemd-analyze") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "verify", "--man=no", copy }) start.ArgumentList.Add(argument);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("systemd-analyze did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        string said = (await stdout + await stderr).Trim();
        Assert.True(process.ExitCode == 0 && said.Length == 0, $"systemd-analyze verify {unit}: exit {process.ExitCode}\n{said}");
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}
