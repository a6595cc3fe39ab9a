using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace CommunityGrid.Simulation.Report;

/// <summary>A data series: values per x position (null = gap), drawn in one colour.</summary>
public sealed record ChartSeries(string Label, string Colour, IReadOnlyList<double?> Values, bool Bars = false);

/// <summary>
/// Hand-made inline SVG charts, so report.html needs no script and no network: a line/bar chart over a shared
/// x axis with a zero line, y ticks, x labels and a legend.
/// </summary>
public static class SvgChart
{
    // Bottom leaves room for the 45° time labels (about 50 px deep) above the legend row.
    private const int Width = 960, Height = 322, Left = 70, Right = 20, Top = 20, Bottom = 82;

    public static string Render(string title, string yUnit, IReadOnlyList<string> xLabels, IReadOnlyList<ChartSeries> series, int labelEvery = 1)
    {
        var values = series.SelectMany(s => s.Values).Where(v => v.HasValue).Select(v => v!.Value).ToList();
        double min = Math.Min(0, values.Count == 0 ? 0 : values.Min());
        double max = Math.Max(values.Count == 0 ? 1 : values.Max(), min + 1e-9);
        double span = max - min;
        max += span * 0.05;
        if (min < 0) min -= span * 0.05;
        int n = Math.Max(1, xLabels.Count);
        double plotWidth = Width - Left - Right, plotHeight = Height - Top - Bottom;
        double X(int i) => Left + plotWidth * (i + 0.5) / n;
        double Y(double v) => Top + plotHeight * (max - v) / (max - min);

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Escape(title)}\">"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"14\" class=\"t\">{Escape(title)} ({Escape(yUnit)})</text>"));
        foreach (double tick in Ticks(min, max))
        {
            svg.Append(Invariant($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(tick):0.#}\" y2=\"{Y(tick):0.#}\" class=\"g\"/>"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{Y(tick) + 4:0.#}\" class=\"yl\">{tick:0.##}</text>"));
        }
        svg.Append(Invariant($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(0):0.#}\" y2=\"{Y(0):0.#}\" class=\"z\"/>"));
        for (int i = 0; i < xLabels.Count; i += Math.Max(1, labelEvery))
        {
            svg.Append(Invariant($"<text x=\"{X(i):0.#}\" y=\"{Height - Bottom + 14}\" class=\"xl\" transform=\"rotate(45 {X(i):0.#} {Height - Bottom + 14})\">{Escape(xLabels[i])}</text>"));
        }
        int barSeries = series.Count(s => s.Bars), barIndex = 0;
        foreach (ChartSeries s in series)
        {
            if (s.Bars) DrawBars(svg, s, barIndex++, barSeries, plotWidth / n, X, Y);
            else DrawLine(svg, s, X, Y);
        }
        double legendX = Left;
        foreach (ChartSeries s in series)
        {
            svg.Append(Invariant($"<rect x=\"{legendX:0.#}\" y=\"{Height - 14}\" width=\"10\" height=\"10\" fill=\"{s.Colour}\"/><text x=\"{legendX + 14:0.#}\" y=\"{Height - 5}\" class=\"lg\">{Escape(s.Label)}</text>"));
            // 12 px system-ui averages under 7.5 px a character; leave room rather than let labels collide.
            legendX += 28 + 8 * s.Label.Length;
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void DrawLine(StringBuilder svg, ChartSeries s, Func<int, double> x, Func<double, double> y)
    {
        var path = new StringBuilder();
        bool pen = false;
        for (int i = 0; i < s.Values.Count; i++)
        {
            if (s.Values[i] is not { } v) { pen = false; continue; }
            path.Append(Invariant($"{(pen ? 'L' : 'M')}{x(i):0.#},{y(v):0.#} "));
            pen = true;
        }
        svg.Append(Invariant($"<path d=\"{path.ToString().TrimEnd()}\" fill=\"none\" stroke=\"{s.Colour}\" stroke-width=\"1.8\"/>"));
    }

    private static void DrawBars(StringBuilder svg, ChartSeries s, int index, int count, double slot, Func<int, double> x, Func<double, double> y)
    {
        double width = Math.Max(0.5, slot * 0.8 / count);
        for (int i = 0; i < s.Values.Count; i++)
        {
            if (s.Values[i] is not { } v) continue;
            double left = x(i) - slot * 0.4 + index * width;
            double top = Math.Min(y(v), y(0)), height = Math.Abs(y(v) - y(0));
            svg.Append(Invariant($"<rect x=\"{left:0.##}\" y=\"{top:0.#}\" width=\"{width:0.##}\" height=\"{height:0.#}\" fill=\"{s.Colour}\"/>"));
        }
    }

    private static IEnumerable<double> Ticks(double min, double max)
    {
        double raw = (max - min) / 5;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(m => m >= raw);
        for (double t = Math.Ceiling(min / step) * step; t <= max; t += step) yield return Math.Round(t, 6);
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
