using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace CommunityGrid.Simulation.Report;

public enum SeriesKind { Line, Bars }

/// <summary>A data series: values per x position (null = gap), drawn in one colour; the legend shows it as drawn.</summary>
public sealed record ChartSeries(string Label, string Colour, IReadOnlyList<double?> Values, SeriesKind Kind = SeriesKind.Line, bool Dashed = false, double StrokeWidth = 2);

/// <summary>An x axis: <paramref name="Count"/> positions, labels at some of them, and day boundaries (a vertical line before the position).</summary>
public sealed record ChartAxis(int Count, IReadOnlyList<AxisMark> Labels, IReadOnlyList<AxisMark> DayBoundaries, string Caption);

public sealed record AxisMark(int Index, string Text);

/// <summary>
/// Hand-made inline SVG charts, so report.html needs no script and no network: lines and bars over a shared x axis,
/// y ticks, x labels, day boundaries, and a legend entry for every kind of mark drawn (series, zero line, day boundary).
/// </summary>
public static class SvgChart
{
    /// <summary>Drawing width for wide screens; the report also draws each chart <see cref="NarrowWidth"/> wide for phones, where 13 px text must stay 13 px.</summary>
    public const int WideWidth = 720, NarrowWidth = 380;
    private const int Right = 16, PlotHeight = 220, AxisBand = 44, LegendRow = 20, TitleLine = 19;
    private const string ZeroColour = "#666", BoundaryColour = "#9a9a9a";

    public static string Render(string title, string yUnit, ChartAxis axis, IReadOnlyList<ChartSeries> series, bool overlayBars = false, int width = WideWidth)
    {
        int Width = width, Left = width < WideWidth ? 48 : 64;
        // 16 px bold averages about 9.5 px a character: wrap the title rather than let it run off a phone's chart.
        List<string> titleLines = Wrap(title, (int)((width - 8) / 9.5));
        int Top = TitleLine * titleLines.Count + 42;
        var values = series.SelectMany(s => s.Values).Where(v => v.HasValue).Select(v => v!.Value).ToList();
        double min = Math.Min(0, values.Count == 0 ? 0 : values.Min());
        double max = Math.Max(values.Count == 0 ? 1 : values.Max(), min + 1e-9);
        double span = max - min;
        max += span * 0.05;
        if (min < 0) min -= span * 0.05;
        bool negatives = min < 0;
        int n = Math.Max(1, axis.Count);
        double plotWidth = Width - Left - Right;
        double X(int i) => Left + plotWidth * (i + 0.5) / n;
        double Edge(int i) => Left + plotWidth * i / n;
        double Y(double v) => Top + PlotHeight * (max - v) / (max - min);

        List<(string Label, string Swatch)> legend = series.Select(s => (s.Label, Swatch(s))).ToList();
        if (negatives) legend.Add(("zero", LineSwatch(ZeroColour, 1.2, false)));
        if (axis.DayBoundaries.Count > 0) legend.Add(("day boundary (local midnight)", LineSwatch(BoundaryColour, 1.2, true)));
        List<List<(string Label, string Swatch)>> legendRows = LegendRows(legend, Left, Width);
        int height = Top + PlotHeight + AxisBand + LegendRow * legendRows.Count + 6;

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"{Escape(title)}\">"));
        for (int i = 0; i < titleLines.Count; i++) svg.Append(Invariant($"<text x=\"4\" y=\"{16 + TitleLine * i}\" class=\"t\">{Escape(titleLines[i])}</text>"));
        svg.Append(Invariant($"<text x=\"4\" y=\"{14 + TitleLine * titleLines.Count}\" class=\"u\">{Escape(yUnit)}</text>"));
        double step = TickStep(min, max);
        foreach (double tick in Ticks(min, max, step))
        {
            svg.Append(Invariant($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(tick):0.#}\" y2=\"{Y(tick):0.#}\" class=\"g\"/>"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{Y(tick) + 4:0.#}\" class=\"yl\">{tick.ToString(TickFormat(step), CultureInfo.InvariantCulture)}</text>"));
        }
        foreach (AxisMark day in axis.DayBoundaries)
        {
            svg.Append(Invariant($"<line x1=\"{Edge(day.Index):0.#}\" x2=\"{Edge(day.Index):0.#}\" y1=\"{Top - 6}\" y2=\"{Top + PlotHeight}\" stroke=\"{BoundaryColour}\" stroke-dasharray=\"4 3\"/>"));
            // 12 px text: about 7 px a character; a label that would leave the chart goes to the line's left.
            bool fits = Edge(day.Index) + 3 + 7 * day.Text.Length <= Width - Right;
            svg.Append(Invariant($"<text x=\"{Edge(day.Index) + (fits ? 3 : -3):0.#}\" y=\"{Top - 8}\" class=\"dl\"{(fits ? "" : " text-anchor=\"end\"")}>{Escape(day.Text)}</text>"));
        }
        foreach (AxisMark label in axis.Labels)
        {
            svg.Append(Invariant($"<text x=\"{Edge(label.Index):0.#}\" y=\"{Top + PlotHeight + 16}\" class=\"xl\">{Escape(label.Text)}</text>"));
        }
        svg.Append(Invariant($"<text x=\"{Left + plotWidth / 2:0.#}\" y=\"{Top + PlotHeight + 34}\" class=\"xc\">{Escape(axis.Caption)}</text>"));
        int barSeries = overlayBars ? 1 : series.Count(s => s.Kind == SeriesKind.Bars), barIndex = 0;
        foreach (ChartSeries s in series.Where(s => s.Kind == SeriesKind.Bars)) DrawBars(svg, s, overlayBars ? 0 : barIndex++, barSeries, plotWidth / n, X, Y);
        if (negatives) svg.Append(Invariant($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(0):0.#}\" y2=\"{Y(0):0.#}\" stroke=\"{ZeroColour}\" stroke-width=\"1.2\"/>"));
        foreach (ChartSeries s in series.Where(s => s.Kind == SeriesKind.Line)) DrawLine(svg, s, X, Y);

        double legendY = Top + PlotHeight + AxisBand;
        foreach (List<(string Label, string Swatch)> row in legendRows)
        {
            double x = Left;
            foreach ((string label, string swatch) in row)
            {
                svg.Append(Invariant($"<g transform=\"translate({x:0.#} {legendY:0.#})\">{swatch}<text x=\"26\" y=\"10\" class=\"lg\">{Escape(label)}</text></g>"));
                x += LegendWidth(label);
            }
            legendY += LegendRow;
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static List<string> Wrap(string text, int maxChars)
    {
        var lines = new List<string> { "" };
        foreach (string word in text.Split(' '))
        {
            if (lines[^1].Length > 0 && lines[^1].Length + 1 + word.Length > maxChars) lines.Add("");
            lines[^1] = lines[^1].Length == 0 ? word : lines[^1] + " " + word;
        }
        return lines;
    }

    // 13 px system-ui averages under 7.5 px a character; leave room rather than let labels collide.
    private static double LegendWidth(string label) => 40 + 7.5 * label.Length;

    private static List<List<(string Label, string Swatch)>> LegendRows(List<(string Label, string Swatch)> items, int left, int width)
    {
        var rows = new List<List<(string, string)>> { new() };
        double used = 0;
        foreach ((string label, string swatch) item in items)
        {
            if (used > 0 && left + used + LegendWidth(item.label) > width - Right)
            {
                rows.Add([]);
                used = 0;
            }
            rows[^1].Add(item);
            used += LegendWidth(item.label);
        }
        return rows;
    }

    private static string Swatch(ChartSeries s) =>
        s.Kind == SeriesKind.Bars ? Invariant($"<rect x=\"0\" y=\"1\" width=\"20\" height=\"10\" fill=\"{s.Colour}\"/>") : LineSwatch(s.Colour, s.StrokeWidth, s.Dashed);

    private static string LineSwatch(string colour, double width, bool dashed) =>
        Invariant($"<line x1=\"0\" x2=\"20\" y1=\"6\" y2=\"6\" stroke=\"{colour}\" stroke-width=\"{width:0.#}\"{(dashed ? " stroke-dasharray=\"4 3\"" : "")}/>");

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
        string dash = s.Dashed ? " stroke-dasharray=\"6 4\"" : "";
        svg.Append(Invariant($"<path d=\"{path.ToString().TrimEnd()}\" fill=\"none\" stroke=\"{s.Colour}\" stroke-width=\"{s.StrokeWidth:0.#}\"{dash} stroke-linejoin=\"round\"/>"));
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

    private static double TickStep(double min, double max)
    {
        double raw = (max - min) / 5;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        return new[] { 1.0, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(m => m >= raw);
    }

    private static string TickFormat(double step) => step >= 1 ? "0.##" : "0." + new string('0', Math.Min(6, (int)Math.Ceiling(-Math.Log10(step) + 1e-9))) + "#";

    private static IEnumerable<double> Ticks(double min, double max, double step)
    {
        for (double t = Math.Ceiling(min / step) * step; t <= max; t += step) yield return Math.Abs(t) < step / 1e6 ? 0 : Math.Round(t, 6);
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
