using System;
using System.IO;
using System.Linq;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Simulation.Community;
using CommunityGrid.Simulation.Governance;
using CommunityGrid.Simulation.Report;
using CommunityGrid.Storage;

namespace CommunityGrid.Simulation.Tests.Pipeline;

/// <summary>The default day includes a governance event: a proposal to switch sdr to mmr, the houses' seeded votes, the switch.</summary>
public sealed class GovernanceEventTests(TenHouseDay day) : IClassFixture<TenHouseDay>
{
    [Fact]
    public void The_report_shows_the_proposal_the_vote_and_its_effect()
    {
        DecisionRow decision = Assert.Single(day.Report.Decisions);
        Assert.Equal(("Switch the pricing mechanism to mmr", "pricingMechanism = mmr", "in effect"), (decision.Title, decision.Change, decision.Status));
        Assert.Equal(10, decision.Electorate);
        Assert.True(decision.Yes * 1000 > 500 * (decision.Yes + decision.No), "the event as seeded passes");
        Assert.Contains("under mmr", decision.Effect);
        Assert.Single(decision.Statements);

        string html = File.ReadAllText(Path.Combine(day.Options.OutputDirectory, ReportFiles.Html));
        Assert.Contains("<h2>Community decisions</h2>", html);
        Assert.Contains("Switch the pricing mechanism to mmr", html);
    }

    [Fact]
    public void Intervals_before_the_boundary_settle_under_sdr_and_from_it_under_mmr_and_the_tally_counts_the_chains_votes()
    {
        using ChainStore store = SmallRun.Open(day.Result);
        StateView view = store.State.View();
        var (key, record) = view.WithPrefix(GovernanceKeys.ProposalPrefix).Select(e => (e.Key, ProposalRecord.Decode(e.Value))).Single();
        long boundary = record.EffectiveIntervalStart!.Value;
        Assert.Equal(0, (boundary - record.ClosesMs / 1000) / 900);
        Assert.Equal("mmr", view.Parameters.PricingMechanism);
        for (long start = day.Options.StartUnixSeconds; start < view.NextInterval; start += 900)
        {
            SettlementResult s = store.GetSettlement(start)!.Result;
            Assert.Equal(start < boundary ? "sdr" : "mmr", s.Mechanism);
        }

        byte[] id = System.Convert.FromHexString(key[GovernanceKeys.ProposalPrefix.Length..]);
        var lastVote = store.GetTransactionsOfType(TxType.Vote, limit: 1000)
            .Select(t => (Tx: Transaction.Decode(t.Bytes), t.Height))
            .Where(v => ((VotePayload)v.Tx.Admin!).ProposalId.AsSpan().SequenceEqual(id))
            .GroupBy(v => view.HouseOfMemberKey(v.Tx.Signer))
            .Select(g => ((VotePayload)g.Last().Tx.Admin!).Choice)
            .ToList();
        Assert.Equal(new Tally(lastVote.Count(c => c == VoteChoice.Yes), lastVote.Count(c => c == VoteChoice.No), lastVote.Count(c => c == VoteChoice.Abstain), 10), record.Tally);
    }

    [Fact]
    public void A_period_too_short_for_the_vote_has_no_event()
    {
        SimulatedCommunity community = SimulatedCommunity.Build(new CommunityOptions { Houses = 3, Seed = 1 }, 1_780_272_000_000);
        Assert.Null(GovernanceScript.Plan(community, 1_780_272_000, 1_780_272_000 + 10 * 3600));
        Assert.NotNull(GovernanceScript.Plan(community, 1_780_272_000, 1_780_272_000 + 86400));
    }
}
