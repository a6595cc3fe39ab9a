using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using CommunityGrid.Simulation.Report;
using CommunityGrid.Simulation.Tests.Pipeline;
using Xunit.Abstractions;

namespace CommunityGrid.Simulation.Tests.Report;

/// <summary>
/// The report as a household opens it: a real browser (Debian's headless Chromium) with the network off, from a
/// file URL, on a phone (390 px) and a desktop (1400 px). It must parse to the sections, charts and tables the chain's
/// numbers fill, lay out without page-wide scrolling and with readable chart text, and render to images with content.
/// The screenshots are left in artifacts/report-screenshots/ for a human to look at (not committed).
/// </summary>
public sealed class ReportInBrowserTests(TenHouseDay day, ITestOutputHelper output) : IClassFixture<TenHouseDay>, IDisposable
{
    private const int Phone = 390, Desktop = 1400;
    private readonly string _profile = Directory.CreateTempSubdirectory("cgrid-chromium-").FullName;
    private Chromium Browser => new(_profile);
    private string ReportPath => Path.Combine(day.Options.OutputDirectory, ReportFiles.Html);

    [Fact]
    public void Chromium_renders_the_report_offline_with_every_section_chart_and_the_chains_numbers()
    {
        string dom = Browser.DumpDom(ReportPath, Desktop);
        ReportData r = day.Report;

        // Each of the five charts drawn twice: for wide screens and for phones.
        Assert.Equal(10, Regex.Matches(dom, "<svg ").Count);
        foreach (string id in new[] { "headline", "who-gains", "mechanisms", "summary", "days", "houses" }) Assert.Contains($"id=\"{id}\"", dom);
        Assert.Contains($"{r.Summary.Readings} / {r.Summary.Blocks} / {r.Summary.SettledIntervals}", dom);
        foreach (HouseRow house in r.Houses) Assert.Contains($">{house.HouseId}", dom);
        // Prices as a tariff sheet shows them, never in minor units.
        Assert.Contains("retail <b>0.30 EUR/kWh</b>", dom);
        Assert.Contains("feed-in <b>0.08 EUR/kWh</b>", dom);
        Assert.DoesNotContain("minor unit", dom);
        foreach (MechanismOutcome m in r.Mechanisms) Assert.Matches($"<td>{Regex.Escape(m.Mechanism)}( \\(this chain\\))?</td>", dom);
        foreach (DayRow d in r.Days) Assert.Contains($"<td>{d.Date}</td>", dom);
        Assert.Contains("local time (UTC+02:00)", dom);
        Assert.Contains("Tue 2 Jun", dom);
    }

    [Fact]
    public void Every_mark_in_every_chart_has_a_legend_entry()
    {
        string html = File.ReadAllText(ReportPath);
        foreach (Match chart in Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline))
        {
            string svg = chart.Value;
            string legend = string.Concat(Regex.Matches(svg, "<g transform=\"translate[^>]*>.*?</g>").Select(m => m.Value));
            string marks = svg.Replace(legend, "");
            var drawn = new HashSet<string>();
            foreach (Match m in Regex.Matches(marks, "<(path|rect|line)[^>]*?(stroke|fill)=\"(#[0-9a-f]{3,6})\"")) drawn.Add(m.Groups[3].Value);
            string title = Regex.Match(svg, "aria-label=\"([^\"]*)\"").Groups[1].Value;
            Assert.True(drawn.Count >= 1, $"chart '{title}' draws nothing");
            foreach (string colour in drawn) Assert.True(legend.Contains($"\"{colour}\""), $"chart '{title}' draws {colour} without a legend entry");
        }
    }

    [Theory]
    [InlineData(Phone, SvgChart.NarrowWidth)]
    [InlineData(Desktop, SvgChart.WideWidth)]
    public void The_layout_fits_the_screen_and_chart_text_stays_readable(int screen, int chartWidth)
    {
        Layout layout = Measure(screen);

        Assert.True(layout.PageWidth <= layout.Viewport, $"the page is {layout.PageWidth} px wide on a {layout.Viewport} px screen: it scrolls sideways");
        Assert.Equal(5, layout.Charts);
        Assert.All(layout.ViewBoxes, w => Assert.Equal(chartWidth, w));
        Assert.True(layout.ChartRight <= layout.Viewport, $"a chart ends at {layout.ChartRight} px on a {layout.Viewport} px screen");
        // Chart text is 13 px in the drawing; on screen it must stay at least 11 px and at most about 16 px.
        Assert.InRange(layout.MinScale * 13, 11, 17);
        Assert.InRange(layout.MaxScale * 13, 11, 17);
    }

    [Theory]
    [InlineData(Phone, 9000)]
    [InlineData(Desktop, 6000)]
    public void The_charts_render_to_pixels(int width, int height)
    {
        string withoutCharts = Path.Combine(_profile, "without-charts.html");
        File.WriteAllText(withoutCharts, Regex.Replace(File.ReadAllText(ReportPath), "<svg.*?</svg>", "", RegexOptions.Singleline));
        string kept = ScreenshotDirectory();
        string png = Path.Combine(kept, $"report-{width}.png");

        long reportBytes = Browser.Screenshot(Chromium.Framed(CopyInProfile(ReportPath), width, height), png, width, height);
        long textOnlyBytes = Browser.Screenshot(Chromium.Framed(withoutCharts, width, height), Path.Combine(_profile, $"text-only-{width}.png"), width, height);
        output.WriteLine($"screenshot: {png}");

        // Both images hold all the text and tables; PNG compresses what is uniform, so only drawn charts can make the
        // full report's image much larger than the text-only one.
        Assert.True(reportBytes > textOnlyBytes * 13 / 10, $"report screenshot {reportBytes} bytes vs the same page without charts {textOnlyBytes} bytes");
    }

    private sealed record Layout(int Viewport, int PageWidth, int Charts, int[] ViewBoxes, double ChartRight, double MinScale, double MaxScale);

    /// <summary>
    /// Opens a copy of the report with a measuring script added (the report itself has none) in a frame
    /// <paramref name="width"/> px wide, and reads what the script measured and posted to the framing page.
    /// </summary>
    private Layout Measure(int width)
    {
        const string measure = """
            <script>window.addEventListener('load', () => {
              const shown = [...document.querySelectorAll('svg')].filter(s => s.getBoundingClientRect().width > 0);
              const scale = shown.map(s => s.getBoundingClientRect().width / s.viewBox.baseVal.width);
              parent.postMessage(JSON.stringify({ viewport: window.innerWidth, pageWidth: document.documentElement.scrollWidth, charts: shown.length,
                viewBoxes: shown.map(s => s.viewBox.baseVal.width), chartRight: Math.max(...shown.map(s => s.getBoundingClientRect().right)),
                minScale: Math.min(...scale), maxScale: Math.max(...scale) }), '*');
            });</script>
            """;
        const string receive = """
            <script>window.addEventListener('message', e => {
              const out = document.createElement('pre'); out.id = 'layout'; out.textContent = e.data; document.body.appendChild(out);
            });</script>
            """;
        string measured = Path.Combine(_profile, $"measured-{width}.html");
        File.WriteAllText(measured, File.ReadAllText(ReportPath).Replace("</body>", measure + "</body>"));
        string dom = Browser.DumpDom(Chromium.Framed(measured, width, 900, receive), Desktop);
        Match json = Regex.Match(dom, "<pre id=\"layout\">(.*?)</pre>");
        Assert.True(json.Success, "the measuring script left no result");
        Layout layout = JsonSerializer.Deserialize<Layout>(System.Net.WebUtility.HtmlDecode(json.Groups[1].Value), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        output.WriteLine($"{width} px: {json.Groups[1].Value}");
        Assert.Equal(width, layout.Viewport);
        return layout;
    }

    private string CopyInProfile(string file)
    {
        string copy = Path.Combine(_profile, Path.GetFileName(file));
        File.Copy(file, copy, overwrite: true);
        return copy;
    }

    /// <summary>artifacts/report-screenshots/ in the checkout (ignored by git), or a temporary folder outside one.</summary>
    private static string ScreenshotDirectory()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CommunityGrid.sln"))) dir = dir.Parent;
        string path = dir is null ? Path.Combine(Path.GetTempPath(), "cgrid-report-screenshots") : Path.Combine(dir.FullName, "artifacts", "report-screenshots");
        Directory.CreateDirectory(path);
        return path;
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
