using System.Linq;
using CommunityGrid.Chain.Breakaway;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Tests.Governance;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using static CommunityGrid.Chain.Tests.Support.GovernanceSigning;

namespace CommunityGrid.Chain.Tests.Breakaway;

/// <summary>Ten houses: leavers leave the electorate and take the fund share parameter 30 grants them.</summary>
public sealed class ExitGovernanceTests
{
    [Fact]
    public void Leavers_drop_out_of_votes_and_quorum_when_their_exit_is_final()
    {
        using var c = new TestCommunity(houses: 10, governance: ProposalRuleTests.Fast with { VotingPeriodSeconds = 3600 });
        byte[] proposal = c.ProposalTx(1, new ResolutionEffect());
        c.Produce(TestCommunity.At(10), proposal, c.ExitTx(8, 1), c.ExitTx(9, 1), c.ExitTx(10, 1));
        // Leavers may still vote while their exit is only announced; their votes go when it is final.
        c.Produce(TestCommunity.At(11), c.VoteTx(8, Id(proposal), VoteChoice.No), c.VoteTx(9, Id(proposal), VoteChoice.No), c.VoteTx(10, Id(proposal), VoteChoice.No),
            c.VoteTx(1, Id(proposal), VoteChoice.Yes));
        c.Produce(TestCommunity.CloseOf(0));
        Assert.Equal(RejectionReason.Unauthorized, c.Try(c.VoteTx(8, Id(proposal), VoteChoice.No), TestCommunity.CloseOf(0) + 1).Reason);
        c.Produce(TestCommunity.CloseOf(0) + 1, c.VoteTx(2, Id(proposal), VoteChoice.Yes), c.VoteTx(3, Id(proposal), VoteChoice.Yes));
        c.Produce(TestCommunity.At(10 + 3600), c.StatementTx(1, "the vote closes"));
        ProposalRecord closed = c.Proposal(Id(proposal));
        Assert.Equal(new Tally(3, 0, 0, 7), closed.Tally); // with the three leavers' no votes it would have failed
        Assert.Equal(ProposalStatus.Passed, closed.Status);
    }

    [Fact]
    public void By_default_leavers_take_nothing_of_the_fund()
    {
        using var c = WithFund(exitFundSharePermille: 0, out long fund);
        c.Produce(TestCommunity.At(1000), c.ExitTx(9, 2), c.ExitTx(10, 2));
        c.Produce(TestCommunity.CloseOf(1));
        Assert.Equal(0, c.Exit("h9")!.FundShare);
        Assert.Equal(fund, c.State.View().Fund);
    }

    [Fact]
    public void The_fund_share_is_the_same_for_every_house_leaving_at_a_boundary_and_conserves_money()
    {
        using var c = WithFund(exitFundSharePermille: 500, out long fund);
        c.Produce(TestCommunity.At(1000), c.ExitTx(10, 2), c.ExitTx(9, 2));
        long before = ExitTests.Total(c, Houses(10));
        c.Produce(TestCommunity.CloseOf(1));
        long share = fund * 500 / (1000 * 10);
        Assert.True(share > 0);
        Assert.Equal(share, c.Exit("h9")!.FundShare);
        Assert.Equal(share, c.Exit("h10")!.FundShare);
        Assert.Equal(c.Exit("h9")!.FinalBalance + share, c.Exit("h9")!.Owed);
        Assert.Equal(fund - 2 * share, c.State.View().Fund);
        Assert.Equal(before, ExitTests.Total(c, Houses(8)) + c.Exit("h9")!.Owed + c.Exit("h10")!.Owed);
    }

    [Fact]
    public void The_community_decides_the_fund_share_by_vote()
    {
        using var c = new TestCommunity(houses: 10, governance: ProposalRuleTests.Fast);
        byte[] proposal = c.ProposalTx(1, Change(30, 250));
        c.Produce(TestCommunity.At(10), proposal);
        c.Votes(TestCommunity.At(11), Id(proposal), yes: 7);
        c.Produce(TestCommunity.At(10 + 600), c.StatementTx(1, "closes"));
        c.Produce(TestCommunity.CloseOf(0));
        Assert.Equal(250, c.State.View().Parameters.ExitFundSharePermille);
        byte[] tooMuch = c.ProposalTx(2, Change(30, 1001));
        Assert.Equal(RejectionReason.InvalidField, c.Try(tooMuch, TestCommunity.CloseOf(0) + 1).Reason);
    }

    /// <summary>Ten houses, h1 exports 10,000 Wh in interval 0: the fund receives a quarter of the 800 it earns.</summary>
    private static TestCommunity WithFund(int exitFundSharePermille, out long fund)
    {
        var c = new TestCommunity(houses: 10, exitFundSharePermille: exitFundSharePermille);
        c.Produce(TestCommunity.At(1), c.EnrolTx("m1", "h1"));
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m1", 1, 0, 0, 10_000));
        c.Produce(TestCommunity.CloseOf(0));
        fund = c.State.View().Fund;
        Assert.Equal(200, fund);
        return c;
    }

    private static string[] Houses(int n) => Enumerable.Range(1, n).Select(i => $"h{i}").ToArray();
}
