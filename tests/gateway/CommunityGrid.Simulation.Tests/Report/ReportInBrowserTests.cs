using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using CommunityGrid.Simulation.Report;
using CommunityGrid.Simulation.Tests.Pipeline;

namespace CommunityGrid.Simulation.Tests.Report;

/// <summary>
/// The report as a household opens it: a real browser (Debian's headless Chromium) with the network off, from a
/// file URL. It must parse to the charts and tables the chain's numbers fill, and render to an image with content.
/// </summary>
public sealed class ReportInBrowserTests(TenHouseDay day) : IClassFixture<TenHouseDay>, IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(90);
    private readonly string _profile = Directory.CreateTempSubdirectory("cgrid-chromium-").FullName;

    [Fact]
    public void Chromium_renders_the_report_offline_with_every_chart_and_the_chains_numbers()
    {
        string report = Path.Combine(day.Options.OutputDirectory, ReportFiles.Html);

        string dom = RunChromium("--dump-dom", new Uri(report).AbsoluteUri);

        Assert.Equal(5, Regex.Matches(dom, "<svg ").Count);
        Assert.Contains($"{day.Report.Summary.Readings} / {day.Report.Summary.Blocks} / {day.Report.Summary.SettledIntervals}", dom);
        foreach (var house in day.Report.Houses)
        {
            Assert.Contains($">{house.HouseId}<", dom);
        }
    }

    [Fact]
    public void The_charts_render_to_pixels()
    {
        string report = Path.Combine(day.Options.OutputDirectory, ReportFiles.Html);
        string withoutCharts = Path.Combine(_profile, "without-charts.html");
        File.WriteAllText(withoutCharts, Regex.Replace(File.ReadAllText(report), "<svg.*?</svg>", "", RegexOptions.Singleline));

        long reportBytes = Screenshot(report);
        long textOnlyBytes = Screenshot(withoutCharts);

        // The whole page fits the window, so both images hold all the text and tables; PNG compresses what is
        // uniform, so only drawn charts can make the full report's image much larger than the text-only one.
        Assert.True(reportBytes > textOnlyBytes * 14 / 10, $"report screenshot {reportBytes} bytes vs the same page without charts {textOnlyBytes} bytes");
    }

    private long Screenshot(string htmlFile)
    {
        string png = Path.Combine(_profile, Path.GetFileNameWithoutExtension(htmlFile) + ".png");
        RunChromium("--window-size=1280,6000", "--screenshot=" + png, new Uri(htmlFile).AbsoluteUri);
        Assert.True(File.Exists(png), $"Chromium wrote no screenshot {png}");
        return new FileInfo(png).Length;
    }

    private string RunChromium(params string[] arguments)
    {
        if (!File.Exists(Chromium))
        {
            Assert.Fail($"{Chromium} is missing: the report test needs Debian's chromium. Run ./test.sh (it installs it) or apt-get install -y chromium");
        }
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Headless, as root, and with every background connection off: the page must need no network at all.
        foreach (string flag in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + Path.Combine(_profile, "profile") })
        {
            start.ArgumentList.Add(flag);
        }
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start chromium");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(BrowserTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish within {BrowserTimeout}");
        }
        Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be closing a file in its profile; a leftover temp folder is harmless.
        }
    }
}
