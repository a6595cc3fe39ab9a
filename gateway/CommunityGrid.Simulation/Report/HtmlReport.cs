using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace CommunityGrid.Simulation.Report;

/// <summary>
/// report.html: one self-contained page (inline CSS and SVG, no script, no external resource) that opens offline
/// and reads on a phone: the savings at a utility's tariffs and who gains or pays, the mechanisms compared on the
/// same energies, totals per day, charts over local time and the houses.
/// </summary>
public static class HtmlReport
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:1200px;padding:0 1em;color:#222;line-height:1.4}" +
        "h1{font-size:1.6em}h2{margin-top:1.6em}.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}" +
        "table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;white-space:nowrap}" +
        "th{background:#f3f3f3;white-space:normal;vertical-align:bottom}td:first-child,th:first-child{text-align:left}tr.own td{font-weight:600;background:#f4faf6}" +
        "td.wrap{white-space:normal;text-align:left}.headline{font-size:1.15em;background:#f4faf6;border-left:4px solid #2a9d55;padding:.6em .9em}" +
        "figure.chart{margin:0}.chart svg{display:block;width:100%;height:auto;margin:.8em 0;background:#fcfcfc;border:1px solid #eee}.wide svg{max-width:900px}.narrow{display:none}" +
        ".t{font-size:16px;font-weight:600}.u,.xc{font-size:13px;fill:#555}.xc{text-anchor:middle}.g{stroke:#e4e4e4}" +
        ".yl{font-size:13px;text-anchor:end}.xl{font-size:13px;text-anchor:middle}.dl{font-size:12px;fill:#555}.lg{font-size:13px}" +
        ".note{color:#555;font-size:.92em}code{font-size:90%;word-break:break-all}.gain{color:#1d7a40}.loss{color:#b22}" +
        "@media (max-width:600px){body{margin:.5em auto;padding:0 .5em}h1{font-size:1.3em}td,th{padding:2px 5px}.wide{display:none}.narrow{display:block}}";

    public static string Render(ReportData data)
    {
        ReportCommunity c = data.Community;
        ReportSummary s = data.Summary;
        var f = new ReportFormat(c);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>CommunityGrid simulation report</title><style>").Append(Style).Append("</style></head><body>");
        html.Append($"<h1>{E(c.Name)}</h1>");
        string period = Invariant($"{FirstLocal(data):ddd d MMM yyyy HH:mm} to {LastLocal(data):ddd d MMM yyyy HH:mm} local time ({c.TimeZone})");
        html.Append(Invariant($"<p>{c.Houses} houses, {c.PvHouses} with PV, {E(period)}. Mechanism <b>{E(c.Mechanism)}</b>. Tariffs of the grid: retail <b>{E(f.Price(c.RetailPrice))}</b>, "));
        html.Append(Invariant($"feed-in <b>{E(f.Price(c.FeedInPrice))}</b>; the community fund takes {c.FundSharePermille / 10.0:0.#} % of the community's export proceeds.</p>"));

        Headline(html, data, f);
        WhoGains(html, c, s, f);
        Mechanisms(html, data, f);
        Summary(html, s);
        Days(html, data, f);
        html.Append("<h2>Charts</h2>");
        // Each chart twice, drawn for a wide screen and for a phone; CSS shows one, so text keeps its size on both.
        foreach ((string wide, string narrow) in ReportCharts.All(data, SvgChart.WideWidth).Zip(ReportCharts.All(data, SvgChart.NarrowWidth)))
        {
            html.Append("<figure class=\"chart\"><div class=\"wide\">").Append(wide).Append("</div><div class=\"narrow\">").Append(narrow).Append("</div></figure>");
        }
        html.Append(DecisionSection.Render(data.Decisions));
        if (data.Gateways is { } gateways) html.Append(GatewaySection.Render(gateways));
        Houses(html, data, f);
        html.Append(Invariant($"<p class=\"note\">Every number on this page is read from the chain, or computed from the energies it recorded. Chain <code>{E(c.ChainId)}</code>, tip <code>{E(c.TipHash)}</code>, state root <code>{E(c.StateRoot)}</code>. "));
        html.Append("The same data: <code>report.json</code>, <code>intervals.csv</code>, <code>houses.csv</code>, <code>days.csv</code>, <code>mechanisms.csv</code>. Definitions: docs/simulation.md.</p></body></html>");
        return html.ToString();
    }

    private static void Headline(StringBuilder html, ReportData data, ReportFormat f)
    {
        ReportSummary s = data.Summary;
        html.Append("<p class=\"headline\" id=\"headline\">");
        html.Append(s.TotalSavings >= 0
            ? $"Together the houses came out <b>{E(f.Money(s.TotalSavings))} better</b> than if each had dealt with the grid alone"
            : $"Together the houses came out <b>{E(f.Money(-s.TotalSavings))} worse</b> than if each had dealt with the grid alone");
        html.Append($" (net, they {E(Bill(s.CommunityBills, f))} instead of {E(Bill(s.GridAloneBills, f))}), and the community fund received <b>{E(f.Money(s.FundIncome))}</b>.");
        html.Append("</p><p class=\"note\">Grid alone = each house's import and export over the whole period at the exact tariffs, rounded once to the cent, as a utility bills. ");
        html.Append("The community bill is what the chain settled interval by interval. The fund's share comes out of the exporting houses' proceeds, so it is part of what the houses pay.</p>");
    }

    private static void WhoGains(StringBuilder html, ReportCommunity c, ReportSummary s, ReportFormat f)
    {
        html.Append("<h2>Who gains and who pays</h2><div class=\"scroll\"><table id=\"who-gains\"><tr><th>houses</th><th>number</th><th>better off</th><th>worse off</th><th>unchanged</th><th>savings together</th><th>largest gain</th><th>largest loss</th></tr>");
        GroupRow(html, "with PV", s.Pv, f);
        GroupRow(html, "without PV", s.NonPv, f);
        html.Append(Invariant($"<tr><td>community fund</td><td></td><td></td><td></td><td></td><td class=\"gain\">{E(f.Signed(s.FundIncome))}</td><td></td><td></td></tr>"));
        html.Append("</table></div>");
        if (s.Pv.PaidMore > 0)
        {
            string why = c.Mechanism switch
            {
                "sdr" => "sdr never pays a seller less than the feed-in tariff, but only the feed-in tariff whenever the community has a surplus, so the fund's share of their export proceeds can be more than what they gained in intervals with a deficit",
                "mmr" => "mmr never pays a seller less than the feed-in tariff, so what they lost is the fund's share of their export proceeds, which was more than what they gained from selling to neighbours",
                _ => "see how each mechanism shares the gain below",
            };
            html.Append(Invariant($"<p class=\"note\">{s.Pv.PaidMore} of the {s.Pv.Houses} PV houses paid more than with the grid alone: {E(why)}.</p>"));
        }
    }

    private static void GroupRow(StringBuilder html, string label, GroupOutcome g, ReportFormat f) =>
        html.Append(Invariant($"<tr><td>{E(label)}</td><td>{g.Houses}</td><td>{g.Gained}</td><td>{g.PaidMore}</td><td>{g.Unchanged}</td><td class=\"{Tone(g.Savings)}\">{E(f.Signed(g.Savings))}</td><td>{E(f.Signed(g.LargestGain))}</td><td>{E(f.Signed(g.LargestLoss))}</td></tr>"));

    private static void Mechanisms(StringBuilder html, ReportData data, ReportFormat f)
    {
        html.Append("<h2>The mechanisms compared</h2><p>The same community, weather and meter readings, settled interval by interval with each mechanism and with no internal trading at all (grid-only), at the same tariffs and fund share.</p>");
        html.Append("<div class=\"scroll\"><table id=\"mechanisms\"><tr><th>mechanism</th><th>houses' savings</th><th>PV: better / worse off</th><th>PV: savings</th><th>no PV: better / worse off</th><th>no PV: savings</th><th>fund received</th><th>traded inside</th></tr>");
        foreach (MechanismOutcome m in data.Mechanisms)
        {
            html.Append(Invariant($"<tr{(m.IsChains ? " class=\"own\"" : "")}><td>{E(m.Mechanism)}{(m.IsChains ? " (this chain)" : "")}</td><td class=\"{Tone(m.Savings)}\">{E(f.Signed(m.Savings))}</td>"));
            html.Append(Invariant($"<td>{m.Pv.Gained} / {m.Pv.PaidMore}</td><td class=\"{Tone(m.Pv.Savings)}\">{E(f.Signed(m.Pv.Savings))}</td><td>{m.NonPv.Gained} / {m.NonPv.PaidMore}</td><td class=\"{Tone(m.NonPv.Savings)}\">{E(f.Signed(m.NonPv.Savings))}</td>"));
            html.Append(Invariant($"<td>{E(f.Money(m.FundIncome))}</td><td>{E(ReportFormat.Kwh(m.InternalWh))}</td></tr>"));
        }
        html.Append("</table></div>");
        MechanismOutcome own = data.Mechanisms.First(m => m.IsChains);
        html.Append("<p class=\"note\">Why this is a fair comparison: in the simulation no house changes its use because of the price, so a run with another mechanism and the same seed records exactly these energies; settling them again is that run's settlement. ");
        html.Append(own.ReproducesChain
            ? "Settling the chain's own mechanism again reproduced every recorded settlement exactly."
            : "<b>Settling the chain's own mechanism again did not reproduce the recorded settlements</b> (its tariffs or fund share changed during the period), so the rows use the tariffs at the end of the period.");
        html.Append(" The fund also receives what each interval's settlement rounds off (docs/clearing.md), so its income differs a little between mechanisms even where the exports are the same.");
        html.Append(" Real households may shift use when prices change; that is not modelled. In bs, sellers receive nothing in intervals with a deficit, so it can leave sellers worse off than the grid alone by design (docs/clearing.md).</p>");
    }

    private static void Summary(StringBuilder html, ReportSummary s)
    {
        html.Append("<h2>Energy</h2><div class=\"scroll\"><table id=\"summary\">");
        Row(html, "Self-sufficiency (consumption not imported from the grid)", ReportFormat.Percent(s.SelfSufficiencyPercent));
        Row(html, "Self-consumption (PV production used inside the community)", ReportFormat.Percent(s.SelfConsumptionPercent));
        Row(html, "Production / consumption", $"{ReportFormat.Kwh(s.ProductionWh)} / {ReportFormat.Kwh(s.ConsumptionWh)}");
        Row(html, "Grid import / export (community connection)", $"{ReportFormat.Kwh(s.GridImportWh)} / {ReportFormat.Kwh(s.GridExportWh)}");
        Row(html, "Traded inside the community", ReportFormat.Kwh(s.InternalWh));
        Row(html, "Readings / blocks / settled intervals", Invariant($"{s.Readings} / {s.Blocks} / {s.SettledIntervals}"));
        html.Append("</table></div>");
    }

    private static void Days(StringBuilder html, ReportData data, ReportFormat f)
    {
        html.Append("<h2>Per day</h2><div class=\"scroll\"><table id=\"days\"><tr><th>local date</th><th>hours</th><th>production</th><th>consumption</th><th>grid import</th><th>grid export</th><th>traded inside</th><th>self-sufficiency</th><th>houses paid net</th><th>fund received</th></tr>");
        double hoursPerInterval = data.Intervals.Count == 0 ? 0.25 : (data.Community.EndExclusive - data.Community.FirstIntervalStart) / 3600.0 / data.Intervals.Count;
        foreach (DayRow d in data.Days)
        {
            html.Append(Invariant($"<tr><td>{E(d.Date)}</td><td>{d.Intervals * hoursPerInterval:0.##}</td><td>{ReportFormat.Kwh(d.ProductionWh)}</td><td>{ReportFormat.Kwh(d.ConsumptionWh)}</td><td>{ReportFormat.Kwh(d.GridImportWh)}</td><td>{ReportFormat.Kwh(d.GridExportWh)}</td>"));
            html.Append(Invariant($"<td>{ReportFormat.Kwh(d.InternalWh)}</td><td>{ReportFormat.Percent(d.SelfSufficiencyPercent)}</td><td>{E(f.Money(d.HousesNet))}</td><td>{E(f.Money(d.FundIncome))}</td></tr>"));
        }
        html.Append("</table></div><p class=\"note\">Days are local calendar days; a run starts and ends at midnight UTC, so its first and last local day are partial (the hours column says how much of each day is in the run).</p>");
    }

    private static void Houses(StringBuilder html, ReportData data, ReportFormat f)
    {
        html.Append("<h2>Houses</h2><p class=\"note\">☀ = the house has PV. Bills are positive when the house paid, negative when it was paid.</p>");
        html.Append("<div class=\"scroll\"><table id=\"houses\"><tr><th>house</th><th>PV</th><th>import</th><th>export</th><th>consumption</th><th>community bill</th><th>grid alone</th><th>savings</th><th>balance</th></tr>");
        foreach (HouseRow h in data.Houses)
        {
            html.Append(Invariant($"<tr><td>{E(h.HouseId)}{(h.HasPv ? " ☀" : "")}</td><td>{ReportFormat.Kwh(h.ProductionWh)}</td><td>{ReportFormat.Kwh(h.ImportWh)}</td><td>{ReportFormat.Kwh(h.ExportWh)}</td><td>{ReportFormat.Kwh(h.ConsumptionWh)}</td>"));
            html.Append(Invariant($"<td>{E(f.Money(h.CommunityBill))}</td><td>{E(f.Money(h.GridAloneBill))}</td><td class=\"{Tone(h.Savings)}\">{E(f.Signed(h.Savings))}</td><td>{E(f.Money(h.Balance))}</td></tr>"));
        }
        html.Append("</table></div>");
    }

    private static DateTime FirstLocal(ReportData data) => data.Intervals.Count == 0 ? DateTime.UnixEpoch.AddSeconds(data.Community.FirstIntervalStart) : ReportTime.Local(data.Intervals[0]);

    private static DateTime LastLocal(ReportData data) =>
        data.Intervals.Count == 0 ? DateTime.UnixEpoch.AddSeconds(data.Community.EndExclusive)
            : DateTime.UnixEpoch.AddSeconds(data.Community.EndExclusive).AddMinutes(data.Intervals[^1].UtcOffsetMinutes);

    /// <summary>A net bill in words: "paid 3.10 EUR" or "received 44.38 EUR".</summary>
    private static string Bill(long net, ReportFormat f) => net >= 0 ? "paid " + f.Money(net) : "received " + f.Money(-net);

    private static string Tone(long amount) => amount > 0 ? "gain" : amount < 0 ? "loss" : "";

    private static void Row(StringBuilder html, string label, string value) => html.Append($"<tr><td class=\"wrap\">{E(label)}</td><td>{E(value)}</td></tr>");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
