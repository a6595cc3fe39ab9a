using System;
using System.Diagnostics;
using System.IO;
using CommunityGrid.Cli.Tests.Support;

namespace CommunityGrid.Cli.Tests.Deploy;

/// <summary>
/// deploy/prometheus/communitygrid-alerts.yml, checked by Debian's promtool (package prometheus): it must load, and
/// its unit tests (series as a gateway's /metrics shows them) must fire each alert when, and only when, expected.
/// </summary>
public class AlertRulesTests
{
    private const string Promtool = "/usr/bin/promtool";

    [Fact]
    public void The_alert_rules_load_in_prometheus()
    {
        (int exit, string text) = RunPromtool("check", "rules", "communitygrid-alerts.yml");
        Assert.True(exit == 0, text);
        Assert.Contains("SUCCESS: 6 rules found", text);
    }

    [Fact]
    public void The_alerts_fire_as_their_unit_tests_expect()
    {
        (int exit, string text) = RunPromtool("test", "rules", "communitygrid-alerts.test.yml");
        Assert.True(exit == 0, text);
        Assert.Contains("SUCCESS", text);
    }

    private static (int Exit, string Text) RunPromtool(params string[] arguments)
    {
        if (!File.Exists(Promtool)) Assert.Fail($"{Promtool} is missing: run ./test.sh (it installs the prometheus package) or apt-get install -y prometheus");
        var start = new ProcessStartInfo(Promtool) { WorkingDirectory = Path.Combine(Repository.Root(), "deploy", "prometheus"), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("promtool did not finish within a minute");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
