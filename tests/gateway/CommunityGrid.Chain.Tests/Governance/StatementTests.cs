using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Validation;
using static CommunityGrid.Chain.Tests.Support.GovernanceSigning;

namespace CommunityGrid.Chain.Tests.Governance;

public sealed class StatementTests
{
    private static readonly long T = TestCommunity.At(10);

    [Fact]
    public void Statements_stand_alone_attach_to_proposals_and_follow_each_other_without_changing_the_first()
    {
        using var c = new TestCommunity(governance: ProposalRuleTests.Fast);
        byte[] proposal = c.ProposalTx(1, new ResolutionEffect(), "Buy a shared battery");
        byte[] alone = c.StatementTx(2, "Street party on Saturday.");
        byte[] attached = c.StatementTx(2, "Batteries of that size cost 12 000 EUR.", Id(proposal));
        c.Produce(T, proposal, alone, attached);
        byte[] before = c.State.Entries.Get(GovernanceKeys.Statement(Id(attached)))!;
        byte[] correction = c.StatementTx(2, "Correction: 9 000 EUR, offer attached at the meeting.", Id(proposal), Id(attached));
        byte[] reply = c.StatementTx(3, "Source of the figure, please?", null, Id(attached));
        c.Produce(T + 1, correction, reply);

        StatementRecord s = c.State.View().Statement(Id(attached))!;
        Assert.Equal("h2", s.HouseId);
        Assert.Equal(Id(proposal), s.ProposalId);
        Assert.Null(s.Follows);
        Assert.Equal(before, c.State.Entries.Get(GovernanceKeys.Statement(Id(attached))));
        Assert.Equal(Id(attached), c.State.View().Statement(Id(correction))!.Follows);
        Assert.Equal("h3", c.State.View().Statement(Id(reply))!.HouseId);
        Assert.Null(c.State.View().Statement(Id(alone))!.ProposalId);
    }

    [Fact]
    public void Statement_rules()
    {
        using var c = new TestCommunity(governance: ProposalRuleTests.Fast);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.StatementTx(1, ""), T).Reason);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.StatementTx(1, new string('s', 1001)), T).Reason);
        Assert.Equal(RejectionReason.UnknownProposal, c.Try(c.StatementTx(1, "on what?", new byte[32]), T).Reason);
        Assert.Equal(RejectionReason.UnknownStatement, c.Try(c.StatementTx(1, "following what?", null, new byte[32]), T).Reason);
        Assert.Equal(TxStatus.Applied, c.Try(c.StatementTx(1, new string('s', 1000)), T).Status);
    }
}
