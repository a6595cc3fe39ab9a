using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace CommunityGrid.Simulation.Report;

/// <summary>report.html: one self-contained page (inline CSS and SVG, no script, no external resource) that opens offline.</summary>
public static class HtmlReport
{
    public static string Render(ReportData data)
    {
        ReportCommunity c = data.Community;
        ReportSummary s = data.Summary;
        IReadOnlyList<IntervalRow> rows = data.Intervals;
        List<string> times = rows.Select(r => DateTimeOffset.FromUnixTimeSeconds(r.Start).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture)).ToList();
        int every = Math.Max(1, rows.Count / 24);
        double KiloWatts(long wh) => wh * 3600.0 / 1000 / (c.EndExclusive > c.FirstIntervalStart && rows.Count > 0 ? (c.EndExclusive - c.FirstIntervalStart) / rows.Count : 900);
        double Money(long minor) => minor / Math.Pow(10, c.MinorUnitDigits);

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>CommunityGrid simulation report</title><style>");
        html.Append("body{font-family:system-ui,sans-serif;margin:2em;max-width:1000px;color:#222}table{border-collapse:collapse;margin:1em 0}");
        html.Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}");
        html.Append("svg{width:100%;height:auto;margin:1em 0;background:#fcfcfc;border:1px solid #eee}.t{font-size:14px;font-weight:600}");
        html.Append(".g{stroke:#e4e4e4}.z{stroke:#888}.yl{font-size:11px;text-anchor:end}.xl{font-size:10px}.lg{font-size:12px}code{font-size:90%}");
        html.Append("</style></head><body>");
        html.Append(Invariant($"<h1>{E(c.Name)}</h1><p>Chain <code>{E(c.ChainId)}</code>, mechanism <b>{E(c.Mechanism)}</b>, retail {c.RetailPrice} and feed-in {c.FeedInPrice} {E(c.Currency)} minor units per kWh, fund share {c.FundSharePermille} ‰. "));
        html.Append(Invariant($"{c.Houses} houses, {c.PvHouses} with PV. Tip <code>{E(c.TipHash)}</code>, state root <code>{E(c.StateRoot)}</code>. Every number on this page is read from the chain.</p>"));
        html.Append("<h2>Summary</h2><table>");
        Row(html, "Self-sufficiency (consumption not imported from the grid)", Invariant($"{s.SelfSufficiencyPercent:0.00} %"));
        Row(html, "Self-consumption (PV production used inside the community)", Invariant($"{s.SelfConsumptionPercent:0.00} %"));
        Row(html, "Production / consumption", Invariant($"{s.ProductionWh / 1000.0:0.0} / {s.ConsumptionWh / 1000.0:0.0} kWh"));
        Row(html, "Grid import / export (community connection)", Invariant($"{s.GridImportWh / 1000.0:0.0} / {s.GridExportWh / 1000.0:0.0} kWh"));
        Row(html, "Traded inside the community", Invariant($"{s.InternalWh / 1000.0:0.0} kWh"));
        Row(html, "Bills: community / grid alone", Invariant($"{Money(s.CommunityBills):0.00} / {Money(s.GridAloneBills):0.00} {E(c.Currency)}"));
        Row(html, "Total savings", Invariant($"{Money(s.TotalSavings):0.00} {E(c.Currency)}"));
        Row(html, "Fund income", Invariant($"{Money(s.FundIncome):0.00} {E(c.Currency)}"));
        Row(html, "Readings / blocks / settled intervals", Invariant($"{s.Readings} / {s.Blocks} / {s.SettledIntervals}"));
        html.Append("</table><h2>Charts</h2>");

        html.Append(SvgChart.Render("Community production vs consumption", "kW, interval average", times,
        [
            new("production (PV meters)", "#e8a317", rows.Select(r => (double?)KiloWatts(r.ProductionWh)).ToList()),
            new("consumption", "#3366cc", rows.Select(r => (double?)KiloWatts(r.ConsumptionWh)).ToList()),
        ], every));
        html.Append(SvgChart.Render("Internal price vs retail and feed-in", E(c.Currency) + " minor units per kWh", times,
        [
            new("internal price", "#2a9d55", rows.Select(r => r.InternalPrice).ToList()),
            new("retail", "#cc3333", rows.Select(_ => (double?)c.RetailPrice).ToList()),
            new("feed-in", "#888888", rows.Select(_ => (double?)c.FeedInPrice).ToList()),
        ], every));
        html.Append(SvgChart.Render("Grid import (+) and export (−) at the community connection", "kWh per interval", times,
        [
            new("import", "#cc3333", rows.Select(r => (double?)(r.GridImportWh / 1000.0)).ToList(), Bars: true),
            new("export", "#2a9d55", rows.Select(r => (double?)(-r.GridExportWh / 1000.0)).ToList(), Bars: true),
        ], every));
        html.Append(SvgChart.Render("Community fund balance", E(c.Currency), times,
        [
            new("fund", "#7b4fb3", rows.Select(r => (double?)Money(r.FundBalance)).ToList()),
        ], every));
        List<HouseRow> houses = data.Houses.ToList();
        html.Append(SvgChart.Render("Each house's bill: community vs grid alone (negative = the house was paid)", E(c.Currency), houses.Select(h => h.HouseId).ToList(),
        [
            new("community", "#2a9d55", houses.Select(h => (double?)Money(h.CommunityBill)).ToList(), Bars: true),
            new("grid alone", "#cc3333", houses.Select(h => (double?)Money(h.GridAloneBill)).ToList(), Bars: true),
        ], Math.Max(1, houses.Count / 40)));

        html.Append(DecisionSection.Render(data.Decisions));
        html.Append("<h2>Houses</h2><table><tr><th>house</th><th>PV kWh</th><th>import kWh</th><th>export kWh</th><th>consumption kWh</th><th>community bill</th><th>grid alone</th><th>savings</th><th>balance</th></tr>");
        foreach (HouseRow h in houses)
        {
            html.Append(Invariant($"<tr><td>{E(h.HouseId)}{(h.HasPv ? " ☀" : "")}</td><td>{h.ProductionWh / 1000.0:0.00}</td><td>{h.ImportWh / 1000.0:0.00}</td><td>{h.ExportWh / 1000.0:0.00}</td><td>{h.ConsumptionWh / 1000.0:0.00}</td>"));
            html.Append(Invariant($"<td>{Money(h.CommunityBill):0.00}</td><td>{Money(h.GridAloneBill):0.00}</td><td>{Money(h.Savings):0.00}</td><td>{Money(h.Balance):0.00}</td></tr>"));
        }
        html.Append("</table><p>The same data: <code>report.json</code>, <code>intervals.csv</code>, <code>houses.csv</code>. Definitions: docs/simulation.md.</p></body></html>");
        return html.ToString();
    }

    private static void Row(StringBuilder html, string label, string value) => html.Append($"<tr><td>{E(label)}</td><td>{value}</td></tr>");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
