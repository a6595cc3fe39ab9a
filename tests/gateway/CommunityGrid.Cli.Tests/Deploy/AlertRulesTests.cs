using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;
using CommunityGrid.Cli.Tests.Support;

namespace CommunityGrid.Cli.Tests.Deploy;

/// <summary>
/// deploy/prometheus/communitygrid-alerts.yml and the Grafana dashboard's queries, checked by Debian's promtool (package prometheus): it must load, and
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

    /// <summary>docs/grafana-dashboard.json's queries are valid PromQL: promtool checks them as recording rules.</summary>
    [Fact]
    public void The_dashboards_queries_parse()
    {
        using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root(), "docs", "grafana-dashboard.json")));
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int count = 0;
        foreach (JsonElement panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (JsonElement target in panel.GetProperty("targets").EnumerateArray())
            {
                // Grafana fills $instance in; any regex stands in for it here. Single quotes keep YAML from reading the braces.
                string expr = target.GetProperty("expr").GetString()!.Replace("$instance", ".*");
                rules.Append($"      - record: dashboard:query{++count}\n        expr: '{expr.Replace("'", "''")}'\n");
            }
        }
        string file = Path.Combine(Path.GetTempPath(), $"cgrid-dashboard-{Guid.NewGuid():N}.yml");
        File.WriteAllText(file, rules.ToString());
        try
        {
            (int exit, string text) = RunPromtool("check", "rules", file);
            Assert.True(exit == 0, text);
            Assert.Contains($"SUCCESS: {count} rules found", text);
            Assert.True(count >= 10, $"only {count} queries in the dashboard");
        }
        finally
        {
            File.Delete(file);
        }
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
