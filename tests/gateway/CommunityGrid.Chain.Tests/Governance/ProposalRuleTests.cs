using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using static CommunityGrid.Chain.Tests.Support.GovernanceSigning;

namespace CommunityGrid.Chain.Tests.Governance;

public sealed class ProposalRuleTests
{
    internal static readonly GovernanceRules Fast = new() { VotingPeriodSeconds = 600, QuorumPermille = 300, MaxOpenProposalsPerHouse = 2 };
    private static readonly long T = TestCommunity.At(10);

    [Fact]
    public void A_member_proposal_is_recorded_open_with_its_close_time()
    {
        using var c = new TestCommunity(governance: Fast);
        byte[] tx = c.ProposalTx(2, new ResolutionEffect(), "Plant trees", "Along the street.");
        c.Produce(T, tx);
        ProposalRecord p = c.Proposal(Id(tx));
        Assert.Equal(("h2", "Plant trees", ProposalStatus.Open, T, T + 600_000), (p.Proposer, p.Title, p.Status, p.CreatedMs, p.ClosesMs));
        Assert.Null(p.Tally);
    }

    [Fact]
    public void Only_member_keys_propose_vote_and_state()
    {
        using var c = new TestCommunity(governance: Fast);
        Assert.Equal(RejectionReason.Unauthorized, c.Try(c.ProposalBy(c.Treasurer, new ResolutionEffect()), T).Reason);
        Assert.Equal(RejectionReason.Unauthorized, c.Try(c.ProposalBy(c.Key(77), new ResolutionEffect()), T).Reason);
        byte[] proposal = c.ProposalTx(1, new ResolutionEffect());
        c.Produce(T, proposal);
        Assert.Equal(RejectionReason.Unauthorized, c.Try(c.VoteBy(c.Key(77), Id(proposal), VoteChoice.Yes), T + 1).Reason);
        Assert.Equal(RejectionReason.Unauthorized, c.Try(TestCommunity.Sign(new StatementPayload(TestCommunity.ChainId, 1, "hi", null, null), c.Installer), T + 1).Reason);
    }

    [Fact]
    public void Title_and_text_are_bounded()
    {
        using var c = new TestCommunity(governance: Fast);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.ProposalTx(1, new ResolutionEffect(), title: ""), T).Reason);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.ProposalTx(1, new ResolutionEffect(), title: new string('t', 121)), T).Reason);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.ProposalTx(1, new ResolutionEffect(), text: new string('x', 4001)), T).Reason);
        Assert.Equal(TxStatus.Applied, c.Try(c.ProposalTx(1, new ResolutionEffect(), title: new string('t', 120), text: new string('x', 4000)), T).Status);
    }

    [Fact]
    public void A_replayed_proposal_is_rejected_by_its_nonce()
    {
        using var c = new TestCommunity(governance: Fast);
        byte[] tx = c.ProposalTx(1, new ResolutionEffect());
        c.Produce(T, tx);
        Assert.Equal(RejectionReason.ReplayedNonce, c.Try(tx, T + 1).Reason);
    }

    [Fact]
    public void Over_cap_proposals_are_rejected_until_one_closes()
    {
        using var c = new TestCommunity(governance: Fast);
        c.Produce(T, c.ProposalTx(1, new ResolutionEffect()), c.ProposalTx(1, new ResolutionEffect()));
        Assert.Equal(RejectionReason.TooManyOpenProposals, c.Try(c.ProposalTx(1, new ResolutionEffect()), T + 1).Reason);
        Assert.Equal(TxStatus.Applied, c.Try(c.ProposalTx(2, new ResolutionEffect()), T + 1).Status);
        c.Produce(T + 600_000, c.StatementTx(3, "both close now"));
        Assert.Equal(TxStatus.Applied, c.Try(c.ProposalTx(1, new ResolutionEffect()), T + 600_001).Status);
    }

    [Fact]
    public void Parameter_changes_must_name_changeable_keys_with_valid_values()
    {
        using var c = new TestCommunity(governance: Fast);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.ProposalTx(1, Change(3, 300)), T).Reason);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.ProposalTx(1, Change(1, "USD")), T).Reason);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.ProposalTx(1, Change(15, 1)), T).Reason);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.ProposalTx(1, Change(7, 2_000_000_000)), T).Reason);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.ProposalTx(1, Change(7, "cheap")), T).Reason);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.ProposalTx(1, Change(9, "barter")), T).Reason);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.ProposalTx(1, Change(23, 400)), T).Reason);
        Assert.Equal(TxStatus.Applied, c.Try(c.ProposalTx(1, Change(9, "sdr")), T).Status);
    }

    [Fact]
    public void Spending_must_fit_the_fund_and_name_a_member_or_an_external_payee()
    {
        using var c = new TestCommunity(governance: Fast);
        Assert.Equal(0, c.State.View().Fund);
        Assert.Equal(RejectionReason.FundInsufficient, c.Try(c.ProposalTx(1, new SpendingEffect(1, PayeeKind.External, "Battery Ltd", "storage")), T).Reason);
        Assert.Equal(RejectionReason.AmountOutOfRange, c.Try(c.ProposalTx(1, new SpendingEffect(0, PayeeKind.External, "Battery Ltd", "storage")), T).Reason);
        Assert.Equal(RejectionReason.UnknownHouse, c.Try(c.ProposalTx(1, new SpendingEffect(1, PayeeKind.House, "h9", "repair")), T).Reason);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.ProposalTx(1, new SpendingEffect(1, PayeeKind.External, "Battery Ltd", "")), T).Reason);
    }

    [Fact]
    public void Member_validator_and_officer_proposals_must_change_something()
    {
        using var c = new TestCommunity(governance: Fast with { MemberAdmission = MemberAdmission.Vote });
        Assert.Equal(RejectionReason.HouseExists, c.Try(c.ProposalTx(1, new AdmitMemberEffect("h2", c.Key(40).PublicKey)), T).Reason);
        Assert.Equal(RejectionReason.KeyInUse, c.Try(c.ProposalTx(1, new AdmitMemberEffect("h9", c.Members[2].PublicKey)), T).Reason);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.ProposalTx(1, new AdmitMemberEffect("h/9", c.Key(40).PublicKey)), T).Reason);
        Assert.Equal(RejectionReason.UnknownHouse, c.Try(c.ProposalTx(1, new RemoveMemberEffect("h9")), T).Reason);
        Assert.Equal(RejectionReason.ProposalWithoutEffect, c.Try(c.ProposalTx(1, new AddValidatorEffect(c.Validator.PublicKey, "x:1")), T).Reason);
        Assert.Equal(RejectionReason.ProposalWithoutEffect, c.Try(c.ProposalTx(1, new RemoveValidatorEffect(c.Validator.PublicKey)), T).Reason);
        Assert.Equal(RejectionReason.ProposalWithoutEffect, c.Try(c.ProposalTx(1, new RemoveValidatorEffect(c.Key(41).PublicKey)), T).Reason);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.ProposalTx(1, new AddValidatorEffect(c.Key(41).PublicKey, "")), T).Reason);
        Assert.Equal(RejectionReason.ProposalWithoutEffect, c.Try(c.ProposalTx(1, new OfficerKeyEffect(false, OfficerRole.Treasurer, c.Treasurer.PublicKey)), T).Reason);
        Assert.Equal(RejectionReason.ProposalWithoutEffect, c.Try(c.ProposalTx(1, new OfficerKeyEffect(true, OfficerRole.Installer, c.Installer.PublicKey)), T).Reason);
        Assert.Equal(RejectionReason.ProposalWithoutEffect, c.Try(c.ProposalTx(1, new OfficerKeyEffect(false, OfficerRole.Installer, c.Treasurer.PublicKey)), T).Reason);
    }

    [Fact]
    public void Admission_by_vote_needs_the_vote_parameter_and_then_closes_the_treasurer_path()
    {
        using (var c = new TestCommunity(governance: Fast))
        {
            Assert.Equal(RejectionReason.Unauthorized, c.Try(c.ProposalTx(1, new AdmitMemberEffect("h4", c.Key(40).PublicKey)), T).Reason);
            Assert.Equal(TxStatus.Applied, c.Try(c.AdmitTx("h4", c.Key(40)), T).Status);
        }
        using (var c = new TestCommunity(governance: Fast with { MemberAdmission = MemberAdmission.Vote }))
        {
            Assert.Equal(TxStatus.Applied, c.Try(c.ProposalTx(1, new AdmitMemberEffect("h4", c.Key(40).PublicKey)), T).Status);
            Assert.Equal(RejectionReason.Unauthorized, c.Try(c.AdmitTx("h4", c.Key(40)), T).Reason);
        }
    }

    [Fact]
    public void Governance_payloads_round_trip_and_reject_unknown_kinds()
    {
        using var c = new TestCommunity(governance: Fast);
        ProposalEffect[] effects =
        [
            Change(9, "sdr"), new SpendingEffect(5, PayeeKind.House, "h1", "roof"), new AdmitMemberEffect("h4", c.Key(40).PublicKey),
            new RemoveMemberEffect("h2"), new AddValidatorEffect(c.Key(41).PublicKey, "10.0.0.2:7001"), new RemoveValidatorEffect(c.Validator.PublicKey),
            new OfficerKeyEffect(true, OfficerRole.Installer, c.Key(42).PublicKey), new OfficerKeyEffect(false, OfficerRole.Treasurer, c.Treasurer.PublicKey),
            new ResolutionEffect(),
        ];
        foreach (ProposalEffect effect in effects)
        {
            var payload = new ProposalPayload(TestCommunity.ChainId, 7, "t", "x", effect);
            var decoded = (ProposalPayload)AdminPayload.Decode(TxType.Proposal, payload.Encode());
            Assert.Equal(payload.Encode(), decoded.Encode());
            Assert.Equal(effect.Kind, decoded.Kind);
        }
        byte[] bad = new ProposalPayload(TestCommunity.ChainId, 7, "t", "x", new ResolutionEffect()).Encode();
        Assert.Equal(0x09, bad[^3]);
        bad[^3] = 0x0a; // kind 9 -> 10, no such kind
        Assert.Throws<CommunityGrid.Chain.Encoding.ChainFormatException>(() => AdminPayload.Decode(TxType.Proposal, bad));
    }
}
