using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CommunityGrid.Simulation.Report;

/// <summary>The report's charts: energy, prices, grid flows and the fund over local time, and every house's savings.</summary>
public static class ReportCharts
{
    public const string PvColour = "#e8a317", NonPvColour = "#3366cc";

    /// <summary>Every chart drawn <paramref name="width"/> wide (<see cref="SvgChart.WideWidth"/> or <see cref="SvgChart.NarrowWidth"/>).</summary>
    public static IEnumerable<string> All(ReportData data, int width)
    {
        bool narrow = width < SvgChart.WideWidth;
        ReportCommunity c = data.Community;
        IReadOnlyList<IntervalRow> rows = data.Intervals;
        var format = new ReportFormat(c);
        ChartAxis time = TimeAxis(rows, c.TimeZone, narrow ? 6 : 12);
        double hours = c.EndExclusive > c.FirstIntervalStart && rows.Count > 0 ? (c.EndExclusive - c.FirstIntervalStart) / (double)rows.Count / 3600 : 0.25;
        double? KiloWatts(long wh) => wh / 1000.0 / hours;

        yield return SvgChart.Render("Community production vs consumption", "kW, average over each 15-minute interval", time,
        [
            new("production (PV meters)", PvColour, rows.Select(r => KiloWatts(r.ProductionWh)).ToList()),
            new("consumption", NonPvColour, rows.Select(r => KiloWatts(r.ConsumptionWh)).ToList()),
        ], width: width);
        // The internal price often sits exactly on a tariff (sdr pays the feed-in price in surplus intervals): draw it
        // wide underneath and the tariffs as thin dashes on top, so both stay visible where they coincide.
        yield return SvgChart.Render("Internal price vs the grid's tariffs", c.Currency + " per kWh", time,
        [
            new("internal price (" + c.Mechanism + ")", "#2a9d55", rows.Select(r => r.InternalPrice is { } p ? format.PriceUnits(p) : (double?)null).ToList(), StrokeWidth: 5),
            new("retail " + format.Price(c.RetailPrice), "#cc3333", rows.Select(_ => (double?)format.PriceUnits(c.RetailPrice)).ToList(), Dashed: true, StrokeWidth: 1.5),
            new("feed-in " + format.Price(c.FeedInPrice), "#555555", rows.Select(_ => (double?)format.PriceUnits(c.FeedInPrice)).ToList(), Dashed: true, StrokeWidth: 1.5),
        ], width: width);
        yield return SvgChart.Render("Grid import (+) and export (−) at the community's connection", "kWh per interval", time,
        [
            new("import from the grid", "#cc3333", rows.Select(r => (double?)(r.GridImportWh / 1000.0)).ToList(), SeriesKind.Bars),
            new("export to the grid", "#2a9d55", rows.Select(r => (double?)(-r.GridExportWh / 1000.0)).ToList(), SeriesKind.Bars),
        ], overlayBars: true, width: width);
        yield return SvgChart.Render("Community fund balance", c.Currency, time,
        [
            new("fund balance", "#7b4fb3", rows.Select(r => (double?)(double)format.Units(r.FundBalance)).ToList()),
        ], width: width);
        List<HouseRow> sorted = data.Houses.OrderByDescending(h => h.Savings).ThenBy(h => h.HouseId, StringComparer.Ordinal).ToList();
        var houseAxis = new ChartAxis(sorted.Count, HouseLabels(sorted, narrow ? 4 : 10), [], "houses, most savings first");
        yield return SvgChart.Render("Each house's savings vs the grid alone (below zero: the house paid more)", c.Currency + " over the period", houseAxis,
        [
            new("house with PV", PvColour, sorted.Select(h => h.HasPv ? (double?)(double)format.Units(h.Savings) : null).ToList(), SeriesKind.Bars),
            new("house without PV", NonPvColour, sorted.Select(h => h.HasPv ? null : (double?)(double)format.Units(h.Savings)).ToList(), SeriesKind.Bars),
        ], overlayBars: true, width: width);
    }

    /// <summary>Local clock labels every 1–24 hours (at most about <paramref name="maxLabels"/>), and a boundary with the date at every local midnight.</summary>
    public static ChartAxis TimeAxis(IReadOnlyList<IntervalRow> rows, string zone, int maxLabels)
    {
        List<DateTime> local = rows.Select(ReportTime.Local).ToList();
        double spanHours = rows.Count == 0 ? 0 : (rows[^1].Start - rows[0].Start) / 3600.0;
        int every = new[] { 1, 2, 3, 4, 6, 12, 24 }.FirstOrDefault(h => spanHours / h <= maxLabels, 24);
        var labels = new List<AxisMark>();
        var days = new List<AxisMark>();
        for (int i = 0; i < local.Count; i++)
        {
            DateTime t = local[i];
            if (t.Minute == 0 && t.Hour % every == 0) labels.Add(new AxisMark(i, t.ToString("HH:mm", CultureInfo.InvariantCulture)));
            if (i > 0 && t.Date != local[i - 1].Date) days.Add(new AxisMark(i, t.ToString("ddd d MMM", CultureInfo.InvariantCulture)));
        }
        return new ChartAxis(rows.Count, labels, days, $"local time ({zone})");
    }

    private static List<AxisMark> HouseLabels(List<HouseRow> sorted, int maxLabels)
    {
        int every = Math.Max(1, (int)Math.Ceiling(sorted.Count / (double)maxLabels));
        var labels = new List<AxisMark>();
        for (int i = 0; i < sorted.Count; i += every) labels.Add(new AxisMark(i, sorted[i].HouseId));
        return labels;
    }
}
