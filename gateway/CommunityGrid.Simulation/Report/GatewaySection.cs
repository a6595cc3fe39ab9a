using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Simulation.Verification;
using CommunityGrid.Storage;

namespace CommunityGrid.Simulation.Report;

/// <summary>The report's "Gateways" section for a community of several: who proposed, how many rounds heights took, whether every store is the same chain and verifies.</summary>
/// <param name="RoundsPerHeight">How many heights were decided in 1, 2, … rounds (the commit certificate's round + 1).</param>
/// <param name="Identical">Every gateway's store ends at the same height with the same tip hash.</param>
public sealed record GatewaysReport(IReadOnlyList<GatewayRow> Gateways, IReadOnlyList<RoundsRow> RoundsPerHeight, bool Identical);

/// <param name="Name">g1, g2, … in street order (the genesis validator order).</param>
/// <param name="BlocksProposed">Blocks whose header names this gateway's key as proposer (header field 9).</param>
/// <param name="Valid">`cgrid verify` on this gateway's store: replayed from genesis, everything checks out.</param>
public sealed record GatewayRow(string Name, string PublicKey, string Address, int FirstHouse, int LastHouse, long BlocksProposed,
    long Height, string? TipHash, bool Valid, string Verdict);

public sealed record RoundsRow(int Rounds, long Heights);

public static class GatewaySection
{
    /// <summary>
    /// Reads the proposers and commit rounds from the chain (<paramref name="chain"/>, gateway 1's) beside each
    /// gateway's verdict from `cgrid verify`'s check (<see cref="ChainCheck.VerifyGateways"/>, in genesis validator order).
    /// </summary>
    public static GatewaysReport Read(ChainStore chain, IReadOnlyList<ChainVerdict> verdicts, int houses)
    {
        GenesisDocument genesis = chain.Genesis;
        var proposed = new Dictionary<string, long>(StringComparer.Ordinal);
        var rounds = new SortedDictionary<int, long>();
        for (long h = 1; h <= chain.Height; h++)
        {
            Block block = chain.GetBlock(h)!.Block;
            string proposer = Convert.ToHexStringLower(block.Header.Proposer);
            proposed[proposer] = proposed.GetValueOrDefault(proposer) + 1;
            int r = block.Commit.Round + 1;
            rounds[r] = rounds.GetValueOrDefault(r) + 1;
        }
        int count = genesis.Validators.Count;
        var rows = new List<GatewayRow>(count);
        for (int i = 0; i < count; i++)
        {
            GenesisValidator validator = genesis.Validators[i];
            ChainVerdict verdict = verdicts[i];
            // Street i holds the houses whose index*count/houses is i (SimulatedCommunity.StreetOf).
            int first = (int)(((long)i * houses + count - 1) / count) + 1;
            int last = (int)(((long)(i + 1) * houses + count - 1) / count);
            rows.Add(new GatewayRow($"g{i + 1}", validator.PublicKey, validator.Address, first, last, proposed.GetValueOrDefault(validator.PublicKey.ToLowerInvariant()),
                verdict.Height, verdict.TipHash, verdict.Valid, verdict.Message));
        }
        bool identical = rows.All(r => r.TipHash is not null && r.TipHash == rows[0].TipHash && r.Height == rows[0].Height);
        return new GatewaysReport(rows, rounds.Select(kv => new RoundsRow(kv.Key, kv.Value)).ToList(), identical);
    }

    public static string Render(GatewaysReport report)
    {
        var html = new StringBuilder("<h2>Gateways</h2>");
        html.Append(Invariant($"<p>{report.Gateways.Count} gateways, one per street, each with its own copy of the chain, agreed on every block by consensus over their peer connections (docs/consensus.md). "));
        html.Append(report.Identical
            ? Invariant($"<b id=\"gateways-identical\">Every gateway's chain is identical</b>: the same {report.Gateways[0].Height} blocks, tip <code>{E(report.Gateways[0].TipHash ?? "")}</code>.</p>")
            : "<b id=\"gateways-differ\">The gateways' chains differ</b> (see the tips below).</p>");
        html.Append("<div class=\"scroll\"><table id=\"gateways\"><tr><th>gateway</th><th>houses</th><th>blocks proposed</th><th>height</th><th>tip</th><th>cgrid verify</th></tr>");
        foreach (GatewayRow g in report.Gateways)
        {
            string houses = g.FirstHouse > g.LastHouse ? "none" : Invariant($"h{g.FirstHouse:D3}–h{g.LastHouse:D3}");
            html.Append(Invariant($"<tr><td>{E(g.Name)}</td><td>{houses}</td><td>{g.BlocksProposed}</td><td>{g.Height}</td><td><code>{E(Short(g.TipHash))}</code></td>"));
            html.Append(Invariant($"<td class=\"wrap\">{(g.Valid ? "valid" : "<b>invalid</b>")}: {E(g.Verdict)}</td></tr>"));
        }
        html.Append("</table></div><div class=\"scroll\"><table id=\"rounds\"><tr><th>rounds to decide a height</th><th>heights</th></tr>");
        foreach (RoundsRow r in report.RoundsPerHeight) html.Append(Invariant($"<tr><td>{r.Rounds}</td><td>{r.Heights}</td></tr>"));
        html.Append("</table></div><p class=\"note\">Blocks proposed: the proposer key in each block's header. Rounds: the round of each block's commit certificate, plus one ");
        html.Append("(1 = decided in the first round; more when a proposer had nothing to propose yet, was down, or its proposal came too late). ");
        html.Append("Each store was replayed from genesis with `cgrid verify`.</p>");
        return html.ToString();
    }

    private static string Short(string? hash) => hash is null ? "—" : hash.Length > 16 ? hash[..16] + "…" : hash;

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
