using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;

namespace CommunityGrid.Simulation.Report;

/// <summary>The report's "Community decisions" section: each proposal, the statements on it, the vote and its effect.</summary>
public static class DecisionSection
{
    public static string Render(IReadOnlyList<DecisionRow> decisions)
    {
        var html = new StringBuilder("<h2>Community decisions</h2>");
        if (decisions.Count == 0) return html.Append("<p>No proposals were made.</p>").ToString();
        html.Append("<div class=\"scroll\"><table id=\"decisions\"><tr><th>proposal</th><th>by</th><th>asks</th><th>vote (yes / no / abstain of houses)</th><th>status</th><th>effect</th></tr>");
        foreach (DecisionRow d in decisions)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"wrap\">{E(d.Title)}<br><code>{E(d.ProposalId[..16])}…</code></td><td>{E(d.Proposer)}, {Time(d.CreatedMs)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{E(d.Change)}</td><td>{d.Yes} / {d.No} / {d.Abstain} of {d.Electorate}, closed {Time(d.ClosesMs)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{E(d.Status)}</td><td class=\"wrap\">{E(d.Effect)}</td></tr>");
        }
        html.Append("</table></div>");
        foreach (DecisionRow d in decisions)
        {
            if (d.Statements.Count == 0) continue;
            html.Append(CultureInfo.InvariantCulture, $"<p>Statements on “{E(d.Title)}”:</p><ul>");
            foreach (string s in d.Statements) html.Append("<li>").Append(E(s)).Append("</li>");
            html.Append("</ul>");
        }
        return html.Append("<p>Votes are public and signed by each house's member key; the tally and the change are the chain's own (docs/governance.md).</p>").ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
