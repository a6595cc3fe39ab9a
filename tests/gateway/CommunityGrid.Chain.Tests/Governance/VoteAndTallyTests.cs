using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using static CommunityGrid.Chain.Tests.Support.GovernanceSigning;

namespace CommunityGrid.Chain.Tests.Governance;

/// <summary>Ten houses; quorum 300 permille (3 houses), simple 500, strict 666; votes close 600 s after the proposal.</summary>
public sealed class VoteAndTallyTests
{
    private static readonly long T = TestCommunity.At(10);
    private static readonly long Closes = T + 600_000;

    private static (TestCommunity, byte[]) Propose(ProposalEffect effect, GovernanceRules? rules = null)
    {
        var c = new TestCommunity(houses: 10, governance: rules ?? ProposalRuleTests.Fast);
        byte[] tx = c.ProposalTx(1, effect);
        c.Produce(T, tx);
        return (c, Id(tx));
    }

    private static ProposalRecord CloseVote(TestCommunity c, byte[] id)
    {
        c.Produce(Closes, c.StatementTx(10, "the vote closes with this block"));
        return c.Proposal(id);
    }

    [Fact]
    public void Quorum_not_met_then_just_met()
    {
        (TestCommunity c, byte[] id) = Propose(new ResolutionEffect());
        using (c)
        {
            c.Votes(T + 1, id, yes: 2);
            ProposalRecord p = CloseVote(c, id);
            Assert.Equal(ProposalStatus.QuorumNotMet, p.Status);
            Assert.Equal(new Tally(2, 0, 0, 10), p.Tally);
        }
        (c, id) = Propose(new ResolutionEffect());
        using (c)
        {
            c.Votes(T + 1, id, yes: 1, abstain: 2);
            Assert.Equal(ProposalStatus.Passed, CloseVote(c, id).Status);
        }
    }

    [Theory]
    [InlineData(3, 2, ProposalStatus.Passed)]      // just met: more yes than no
    [InlineData(2, 2, ProposalStatus.Rejected)]    // just missed: a tie is not a majority
    [InlineData(1, 0, ProposalStatus.QuorumNotMet)]
    public void Simple_majority(int yes, int no, ProposalStatus expected)
    {
        (TestCommunity c, byte[] id) = Propose(new ResolutionEffect());
        using (c)
        {
            c.Votes(T + 1, id, yes, no);
            Assert.Equal(expected, CloseVote(c, id).Status);
        }
    }

    [Theory]
    [InlineData(4, 2, ProposalStatus.Passed)]   // just met: exactly two thirds
    [InlineData(5, 3, ProposalStatus.Rejected)] // just missed: 62.5 %
    [InlineData(6, 3, ProposalStatus.Passed)]
    public void Rules_need_the_strict_threshold(int yes, int no, ProposalStatus expected)
    {
        (TestCommunity c, byte[] id) = Propose(Change(21, 200));
        using (c)
        {
            c.Votes(T + 1, id, yes, no);
            Assert.Equal(expected, CloseVote(c, id).Status);
        }
    }

    [Fact]
    public void Members_and_validators_need_the_strict_threshold_prices_do_not()
    {
        using var c = new TestCommunity(houses: 10, governance: ProposalRuleTests.Fast with { MemberAdmission = MemberAdmission.Vote });
        byte[] admit = c.ProposalTx(1, new AdmitMemberEffect("h11", c.Key(40).PublicKey));
        byte[] validator = c.ProposalTx(2, new AddValidatorEffect(c.Key(41).PublicKey, "10.0.0.2:7001"));
        byte[] price = c.ProposalTx(3, Change(7, 310));
        c.Produce(T, admit, validator, price);
        foreach (byte[] p in new[] { admit, validator, price }) c.Votes(T + 1 + c.State.Height, Id(p), yes: 5, no: 3);
        CloseVote(c, Id(admit));
        Assert.Equal(ProposalStatus.Rejected, c.Proposal(Id(admit)).Status);
        Assert.Equal(ProposalStatus.Rejected, c.Proposal(Id(validator)).Status);
        Assert.Equal(ProposalStatus.Passed, c.Proposal(Id(price)).Status);
    }

    [Fact]
    public void A_changed_vote_counts_as_its_last_choice()
    {
        (TestCommunity c, byte[] id) = Propose(new ResolutionEffect());
        using (c)
        {
            c.Votes(T + 1, id, yes: 3, no: 2);
            c.Produce(T + 2, c.VoteTx(1, id, VoteChoice.No), c.VoteTx(2, id, VoteChoice.Abstain));
            ProposalRecord p = CloseVote(c, id);
            Assert.Equal(new Tally(1, 3, 1, 10), p.Tally);
            Assert.Equal(ProposalStatus.Rejected, p.Status);
        }
    }

    [Fact]
    public void A_double_vote_counts_once()
    {
        (TestCommunity c, byte[] id) = Propose(new ResolutionEffect());
        using (c)
        {
            c.Produce(T + 1, c.VoteTx(1, id, VoteChoice.Yes), c.VoteTx(1, id, VoteChoice.Yes), c.VoteTx(2, id, VoteChoice.Yes));
            c.Produce(T + 2, c.VoteTx(1, id, VoteChoice.Yes));
            Assert.Equal(new Tally(2, 0, 0, 10), CloseVote(c, id).Tally);
        }
    }

    [Fact]
    public void Block_time_closes_the_vote()
    {
        (TestCommunity c, byte[] id) = Propose(new ResolutionEffect());
        using (c)
        {
            c.Votes(Closes - 1, id, yes: 3);
            Assert.Equal(ProposalStatus.Open, c.Proposal(id).Status);
            Assert.Equal(RejectionReason.VotingClosed, c.Try(c.VoteTx(4, id, VoteChoice.No), Closes).Reason);
            Assert.Equal(ProposalStatus.Passed, CloseVote(c, id).Status);
            Assert.Equal(RejectionReason.VotingClosed, c.Try(c.VoteTx(4, id, VoteChoice.No), Closes + 1).Reason);
        }
    }

    [Fact]
    public void Votes_on_unknown_proposals_are_rejected_and_votes_are_public()
    {
        (TestCommunity c, byte[] id) = Propose(new ResolutionEffect());
        using (c)
        {
            Assert.Equal(RejectionReason.UnknownProposal, c.Try(c.VoteTx(2, new byte[32], VoteChoice.Yes), T + 1).Reason);
            c.Produce(T + 1, c.VoteTx(2, id, VoteChoice.No));
            byte[]? vote = c.State.Entries.Get(GovernanceKeys.Vote(id, "h2"));
            Assert.Equal((long)VoteChoice.No, CommunityGrid.Chain.State.StateValues.DecodeInt(vote!, "vote"));
        }
    }

    [Fact]
    public void A_removed_house_no_longer_counts()
    {
        (TestCommunity c, byte[] id) = Propose(new RemoveMemberEffect("h10"));
        using (c)
        {
            c.Votes(T + 1, id, yes: 9);
            c.Produce(T + 2, c.VoteTx(10, id, VoteChoice.No));
            Assert.Equal(ProposalStatus.Passed, CloseVote(c, id).Status);
            byte[] later = c.ProposalTx(2, new ResolutionEffect());
            c.Produce(Closes + 1, later, c.VoteTx(10, Id(later), VoteChoice.Yes));
            Assert.Equal(TestCommunity.At(900) / 1000, c.Proposal(id).EffectiveIntervalStart);
            c.Produce(TestCommunity.CloseOf(0) - 1, c.StatementTx(1, "h10 is still a member until its interval closes"));
            Assert.True(c.State.View().IsMember("h10"));
            c.Produce(TestCommunity.CloseOf(0), c.StatementTx(1, "interval 0 closes: the removal applies at the boundary"));
            Assert.Equal(ProposalStatus.InEffect, c.Proposal(id).Status);
            Assert.False(c.State.View().IsMember("h10"));
            Assert.Null(c.State.Entries.Get(GovernanceKeys.Vote(Id(later), "h10")));
            Assert.Equal(RejectionReason.Unauthorized, c.Try(c.VoteTx(10, Id(later), VoteChoice.Yes), TestCommunity.CloseOf(0) + 1).Reason);
            Assert.Equal(0, c.Balance("h10"));
        }
    }
}
