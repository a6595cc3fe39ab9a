using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Formats.Signing;
using static CommunityGrid.Chain.Tests.Support.GovernanceSigning;

namespace CommunityGrid.Chain.Tests.Governance;

/// <summary>
/// Three houses, quorum 300 permille (one vote suffices). A proposal made at 10 s closes at 610 s, inside interval 0,
/// so a passed change takes effect at the start of interval 1 (900 s), when interval 0 has closed.
/// </summary>
public sealed class EffectTests
{
    private static readonly long T = TestCommunity.At(10);
    private static readonly long Closes = T + 600_000;

    private static byte[] Pass(TestCommunity c, ProposalEffect effect, int yes = 2)
    {
        byte[] tx = c.ProposalTx(1, effect);
        c.Produce(c.State.TipTimeMs + 1, tx);
        c.Votes(c.State.TipTimeMs + 1, Id(tx), yes);
        return Id(tx);
    }

    private static void CloseVotes(TestCommunity c) => c.Produce(Closes + c.State.Height, c.StatementTx(3, "closing the vote"));

    [Fact]
    public void A_price_change_applies_from_the_next_boundary_and_later_intervals_settle_under_it()
    {
        using var c = new TestCommunity(fundSharePermille: 0, governance: ProposalRuleTests.Fast).WithMeters();
        byte[] id = Pass(c, Change(7, 500));
        CloseVotes(c);
        ProposalRecord p = c.Proposal(id);
        Assert.Equal((ProposalStatus.Passed, (long?)TestCommunity.IntervalStart(1)), (p.Status, p.EffectiveIntervalStart));
        Assert.Equal(300, c.State.View().Parameters.RetailPrice);

        long[] costs = new long[3];
        for (int i = 0; i < 3; i++)
        {
            c.Produce(TestCommunity.EndOf(i), c.ReadingTx("m1", i + 1, i, 1000 * (i + 1), 0));
            costs[i] = Assert.Single(c.Produce(TestCommunity.CloseOf(i)).Body.Settlements).GridCost;
        }
        Assert.Equal([300L, 500L, 500L], costs);
        Assert.Equal(500, c.State.View().Parameters.RetailPrice);
        Assert.Equal(ProposalStatus.InEffect, c.Proposal(id).Status);
    }

    [Fact]
    public void Intervals_closed_in_one_block_each_settle_under_the_parameters_in_force_for_them()
    {
        using var c = new TestCommunity(governance: ProposalRuleTests.Fast).WithMeters();
        Pass(c, Change(9, "sdr"));
        CloseVotes(c);
        Block both = c.Produce(TestCommunity.CloseOf(1));
        Assert.Equal(["grid-only", "sdr"], both.Body.Settlements.Select(s => s.Mechanism));
    }

    [Fact]
    public void A_mechanism_switch_applies_at_the_boundary()
    {
        using var c = new TestCommunity(governance: ProposalRuleTests.Fast).WithMeters();
        Pass(c, Change(9, "sdr"));
        CloseVotes(c);
        Assert.Equal("grid-only", Assert.Single(c.Produce(TestCommunity.CloseOf(0)).Body.Settlements).Mechanism);
        Assert.Equal("sdr", Assert.Single(c.Produce(TestCommunity.CloseOf(1)).Body.Settlements).Mechanism);
    }

    [Fact]
    public void The_effect_delay_moves_the_boundary()
    {
        using var c = new TestCommunity(governance: ProposalRuleTests.Fast with { EffectDelayIntervals = 2 });
        byte[] id = Pass(c, Change(8, 90));
        CloseVotes(c);
        Assert.Equal(TestCommunity.IntervalStart(3), c.Proposal(id).EffectiveIntervalStart);
        c.Produce(TestCommunity.CloseOf(1));
        Assert.Equal(80, c.State.View().Parameters.FeedInPrice);
        c.Produce(TestCommunity.CloseOf(2));
        Assert.Equal(90, c.State.View().Parameters.FeedInPrice);
    }

    [Fact]
    public void A_rules_change_governs_later_votes()
    {
        using var c = new TestCommunity(governance: ProposalRuleTests.Fast);
        Pass(c, Change(24, 1), yes: 3);
        CloseVotes(c);
        c.Produce(TestCommunity.CloseOf(0));
        Assert.Equal(1, c.State.View().Parameters.Governance.MaxOpenProposalsPerHouse);
        c.Produce(TestCommunity.CloseOf(0) + 1, c.ProposalTx(2, new ResolutionEffect()));
        Assert.Equal(RejectionReason.TooManyOpenProposals, c.Try(c.ProposalTx(2, new ResolutionEffect()), TestCommunity.CloseOf(0) + 2).Reason);
    }

    /// <summary>Interval 0: h2 exports 10 kWh at 80 per kWh = 800, a quarter (200) goes to the fund.</summary>
    private static TestCommunity WithFund()
    {
        var c = new TestCommunity(governance: ProposalRuleTests.Fast with { VotingPeriodSeconds = 60 }).WithMeters();
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m2", 1, 0, 0, 10_000));
        c.Produce(TestCommunity.CloseOf(0));
        Assert.Equal(200, c.State.View().Fund);
        return c;
    }

    [Fact]
    public void Payouts_need_a_passed_spending_proposal_and_stay_within_it()
    {
        using TestCommunity c = WithFund();
        long t = TestCommunity.CloseOf(0);
        byte[] battery = c.ProposalTx(1, new SpendingEffect(150, PayeeKind.External, "Battery Ltd, invoice 4711", "shared battery"));
        byte[] resolution = c.ProposalTx(2, new ResolutionEffect());
        c.Produce(t + 1, battery, resolution);
        Assert.Equal(RejectionReason.UnknownProposal, c.Try(c.FundPayoutTx(new byte[32], 10), t + 2).Reason);
        Assert.Equal(RejectionReason.UnknownProposal, c.Try(c.FundPayoutTx(Id(resolution), 10), t + 2).Reason);
        Assert.Equal(RejectionReason.ProposalNotPassed, c.Try(c.FundPayoutTx(Id(battery), 10), t + 2).Reason);
        Assert.Equal(RejectionReason.Unauthorized, c.Try(TestCommunity.Sign(new FundPayoutPayload(TestCommunity.ChainId, 1, Id(battery), 10, "x"), c.Members[0]), t + 2).Reason);
        c.Votes(t + 3, Id(battery), yes: 2);
        c.Produce(t + 60_001, c.StatementTx(3, "vote closed"));
        Assert.Equal(ProposalStatus.Passed, c.Proposal(Id(battery)).Status);

        c.Produce(t + 60_002, c.FundPayoutTx(Id(battery), 100));
        Assert.Equal(RejectionReason.ExceedsProposal, c.Try(c.FundPayoutTx(Id(battery), 51), t + 60_003).Reason);
        c.Produce(t + 60_003, c.FundPayoutTx(Id(battery), 50));
        Assert.Equal(RejectionReason.ExceedsProposal, c.Try(c.FundPayoutTx(Id(battery), 1), t + 60_004).Reason);
        Assert.Equal((150L, 50L), (c.Proposal(Id(battery)).Paid, c.State.View().Fund));
    }

    [Fact]
    public void The_fund_never_goes_negative_even_when_passed_spendings_add_up_to_more()
    {
        using TestCommunity c = WithFund();
        long t = TestCommunity.CloseOf(0);
        byte[] a = c.ProposalTx(1, new SpendingEffect(150, PayeeKind.House, "h2", "inverter repair"));
        byte[] b = c.ProposalTx(2, new SpendingEffect(100, PayeeKind.External, "Street lights Ltd", "maintenance"));
        c.Produce(t + 1, a, b);
        Assert.Equal(RejectionReason.FundInsufficient, c.Try(c.ProposalTx(3, new SpendingEffect(201, PayeeKind.External, "X", "too much")), t + 2).Reason);
        c.Votes(t + 3, Id(a), yes: 2);
        c.Votes(t + 4, Id(b), yes: 2);
        c.Produce(t + 60_001, c.StatementTx(3, "votes closed"), c.FundPayoutTx(Id(a), 150));
        Assert.Equal(RejectionReason.FundInsufficient, c.Try(c.FundPayoutTx(Id(b), 60), t + 60_002).Reason);
        c.Produce(t + 60_002, c.FundPayoutTx(Id(b), 50));
        Assert.Equal(0, c.State.View().Fund);
        Assert.Equal(RejectionReason.FundInsufficient, c.Try(c.FundPayoutTx(Id(b), 1), t + 60_003).Reason);
        // The payout moved real money to h2; its balance (600 from its export) is not touched.
        Assert.Equal(600, c.Balance("h2"));
    }

    [Fact]
    public void A_house_admitted_by_vote_is_a_member_from_the_boundary()
    {
        using var c = new TestCommunity(governance: ProposalRuleTests.Fast with { MemberAdmission = MemberAdmission.Vote });
        var newcomer = c.Key(40);
        byte[] id = Pass(c, new AdmitMemberEffect("h4", newcomer.PublicKey), yes: 3);
        CloseVotes(c);
        Assert.False(c.State.View().IsMember("h4"));
        c.Produce(TestCommunity.CloseOf(0));
        Assert.Equal(ProposalStatus.InEffect, c.Proposal(id).Status);
        Assert.True(c.State.View().IsMember("h4"));
        Assert.Equal(0, c.Balance("h4"));
        c.Produce(TestCommunity.CloseOf(0) + 1, c.ProposalBy(newcomer, new ResolutionEffect()));
    }

    [Fact]
    public void A_change_that_can_no_longer_apply_at_its_boundary_is_marked_not_applicable()
    {
        using var c = new TestCommunity(governance: ProposalRuleTests.Fast with { MemberAdmission = MemberAdmission.Vote });
        byte[] first = Pass(c, new AdmitMemberEffect("h4", c.Key(40).PublicKey), yes: 3);
        byte[] second = Pass(c, new AdmitMemberEffect("h4", c.Key(41).PublicKey), yes: 3);
        CloseVotes(c);
        c.Produce(TestCommunity.CloseOf(0));
        // Both were due at the same boundary; they apply in proposal-id order, so exactly one house h4 exists.
        ProposalStatus[] statuses = [c.Proposal(first).Status, c.Proposal(second).Status];
        Assert.Equal([ProposalStatus.InEffect, ProposalStatus.NotApplicable], statuses.OrderBy(s => s));
        byte[] winner = Hashes.Compare(first, second) < 0 ? c.Key(40).PublicKey : c.Key(41).PublicKey;
        Assert.Equal(Hashes.Hex(winner), Hashes.Hex(StateValues.DecodeBytes(c.State.Entries.Get(StateKeys.Member("h4"))!, "member")));
    }

    [Fact]
    public void A_validator_change_is_recorded_in_the_tally_block_for_the_consensus_and_the_set_is_unchanged()
    {
        using var c = new TestCommunity(governance: ProposalRuleTests.Fast);
        var gateway = c.Key(41);
        byte[] id = Pass(c, new AddValidatorEffect(gateway.PublicKey, "10.0.0.2:7001"), yes: 3);
        byte[] setHash = c.State.Validators.Hash;
        Produced produced = BlockProducer.Produce(c.State, [c.StatementTx(3, "closing")], Closes + 10, c.Validator);
        PreparedBlock prepared = c.State.ApplyBlock(produced.Block!);
        ValidatorUpdate update = Assert.Single(ValidatorUpdate.DecidedIn(prepared.Changes));
        Assert.Equal((Hashes.Hex(gateway.PublicKey), "10.0.0.2:7001", Hashes.Hex(id)), (Hashes.Hex(update.ValidatorKey), update.Address, Hashes.Hex(update.ProposalId)));
        Assert.Equal(ProposalStatus.Passed, c.Proposal(id).Status);
        Assert.Equal(setHash, c.State.Validators.Hash);
    }

    [Fact]
    public void A_validator_added_in_block_H_commits_from_H_plus_2_and_header_H_plus_1_names_the_new_set()
    {
        using var c = new TestCommunity(governance: ProposalRuleTests.Fast);
        var gateway = c.Key(41);
        Pass(c, new AddValidatorEffect(gateway.PublicKey, "10.0.0.2:7001"), yes: 3);
        ValidatorSet before = c.State.Validators;
        c.Produce(Closes + 10, c.StatementTx(3, "closing")); // H: the tally decides the change
        Assert.Equal(before.Hash, c.State.Validators.Hash);
        Block h1 = c.Produce(Closes + 20, c.StatementTx(3, "H+1")); // still committed by the old set alone
        Assert.Equal(2, c.State.Validators.Validators.Count);
        Assert.Equal(c.State.Validators.Hash, h1.Header.ValidatorSetHash);
        Assert.Equal(before.Hash, c.State.TipCommitters.Hash);

        // H+2: the old validator alone is no longer a quorum of the new set of two.
        Produced alone = BlockProducer.Produce(c.State, [c.StatementTx(3, "H+2")], Closes + 30, c.Validator);
        var refused = Assert.Throws<BlockVerificationException>(() => c.State.Prepare(alone.Block!));
        Assert.Contains("1 of 2 validators signed", refused.Message);
        Block h2 = CommitByBoth(c, alone.Block!, gateway);
        c.State.ApplyBlock(h2);
        // The commit H+2 carries (of H+1, by the old set) verified against the prior set, which is gone now.
        Assert.Equal(c.State.Validators.Hash, c.State.TipCommitters.Hash);
        Produced next = BlockProducer.Produce(c.State, [c.StatementTx(3, "H+3")], Closes + 40, c.Validator);
        c.State.ApplyBlock(CommitByBoth(c, next.Block!, gateway));
    }

    [Fact]
    public void A_removed_validator_stops_counting_from_H_plus_2()
    {
        using var c = new TestCommunity(governance: ProposalRuleTests.Fast);
        var gateway = c.Key(41);
        Pass(c, new AddValidatorEffect(gateway.PublicKey, "10.0.0.2:7001"), yes: 3);
        c.Produce(Closes + 10, c.StatementTx(3, "closing"));
        c.Produce(Closes + 20, c.StatementTx(3, "H+1"));
        c.State.ApplyBlock(CommitByBoth(c, BlockProducer.Produce(c.State, [c.StatementTx(3, "H+2")], Closes + 30, c.Validator).Block!, gateway));
        Assert.Equal(2, c.State.Validators.Validators.Count);
        // Removing it again follows the same path: decided, one more block by both, then the original validator alone.
        long t = Closes + 1_000_000;
        byte[] removal = PassAt(c, new RemoveValidatorEffect(gateway.PublicKey), t, gateway);
        Assert.Equal(ProposalStatus.Passed, c.Proposal(removal).Status);
        Assert.Equal(2, c.State.Validators.Validators.Count);
        c.State.ApplyBlock(CommitByBoth(c, BlockProducer.Produce(c.State, [c.StatementTx(3, "R+1")], c.State.TipTimeMs + 10, c.Validator).Block!, gateway));
        Assert.Single(c.State.Validators.Validators);
        c.State.ApplyBlock(BlockProducer.Produce(c.State, [c.StatementTx(3, "R+2")], c.State.TipTimeMs + 10, c.Validator).Block!);
    }

    /// <summary>Passes a proposal on a chain whose set is {c.Validator, <paramref name="second"/>}: every block committed by both.</summary>
    private static byte[] PassAt(TestCommunity c, ProposalEffect effect, long t, Ed25519Signer second)
    {
        byte[] proposal = c.ProposalTx(1, effect);
        byte[] id = Hashes.Sha256(proposal);
        var txs = new List<byte[]> { proposal };
        for (int house = 1; house <= 3; house++) txs.Add(c.VoteTx(house, id, VoteChoice.Yes));
        foreach (byte[] tx in txs) c.State.ApplyBlock(CommitByBoth(c, BlockProducer.Produce(c.State, [tx], t += 10, c.Validator).Block!, second));
        // The vote closes after the fast governance's voting period; the next block tallies it.
        c.State.ApplyBlock(CommitByBoth(c, BlockProducer.Produce(c.State, [c.StatementTx(3, "tally")], t + 700_000, c.Validator).Block!, second));
        return id;
    }

    private static Block CommitByBoth(TestCommunity c, Block block, Ed25519Signer second)
    {
        var id = new CommunityGrid.Consensus.BlockId(block.Header.Hash());
        var commit = CommunityGrid.Consensus.Messages.CommitCertificate.FromPrecommits(new[] { c.Validator, second }.Select(k =>
            CommunityGrid.Consensus.Messages.SignedVote.Create(c.State.ChainId, CommunityGrid.Consensus.Messages.MessageType.Precommit, block.Height, 0, id, k)));
        return block with { Commit = commit };
    }

    [Fact]
    public void A_validator_removal_update_carries_no_address()
    {
        using var c = new TestCommunity(governance: ProposalRuleTests.Fast);
        var other = c.Key(41);
        var removal = new ValidatorUpdate(other.PublicKey, null, new byte[32]);
        ValidatorUpdate decoded = ValidatorUpdate.Decode(GovernanceKeys.ValidatorUpdate(other.PublicKey), removal.EncodeValue());
        Assert.Null(decoded.Address);
        Assert.Equal(other.PublicKey, decoded.ValidatorKey);
    }

    [Fact]
    public void Officer_keys_are_added_and_removed_by_vote()
    {
        using var c = new TestCommunity(governance: ProposalRuleTests.Fast);
        var treasurer2 = c.Key(42);
        byte[] add = Pass(c, new OfficerKeyEffect(true, OfficerRole.Treasurer, treasurer2.PublicKey));
        Assert.Equal(RejectionReason.ProposalWithoutEffect,
            c.Try(c.ProposalTx(2, new OfficerKeyEffect(false, OfficerRole.Treasurer, c.Treasurer.PublicKey)), c.State.TipTimeMs + 1).Reason);
        CloseVotes(c);
        c.Produce(TestCommunity.CloseOf(0));
        Assert.Equal(ProposalStatus.InEffect, c.Proposal(add).Status);

        byte[] remove = Pass(c, new OfficerKeyEffect(false, OfficerRole.Treasurer, c.Treasurer.PublicKey));
        c.Produce(c.State.TipTimeMs + 600_000, c.StatementTx(3, "closing"));
        Assert.Equal(TxStatus.Applied, c.Try(c.PaymentTx("h1", PaymentKind.Deposit, 5), TestCommunity.CloseOf(1) - 1).Status);
        c.Produce(TestCommunity.CloseOf(1));
        Assert.Equal(ProposalStatus.InEffect, c.Proposal(remove).Status);
        Assert.Equal(RejectionReason.Unauthorized, c.Try(c.PaymentTx("h1", PaymentKind.Deposit, 5), TestCommunity.CloseOf(1) + 1).Reason);
        var byNew = new PaymentPayload(TestCommunity.ChainId, 1, "h1", PaymentKind.Deposit, 5, "cash");
        c.Produce(TestCommunity.CloseOf(1) + 1, TestCommunity.Sign(byNew, treasurer2));
        Assert.Equal(5, c.Balance("h1"));
    }

    [Fact]
    public void A_resolution_is_recorded_and_changes_nothing_else()
    {
        using var c = new TestCommunity(governance: ProposalRuleTests.Fast);
        ChainParameters before = c.State.View().Parameters;
        byte[] id = Pass(c, new ResolutionEffect());
        CloseVotes(c);
        c.Produce(TestCommunity.CloseOf(1));
        Assert.Equal((ProposalStatus.Passed, (long?)null), (c.Proposal(id).Status, c.Proposal(id).EffectiveIntervalStart));
        Assert.Equal(before, c.State.View().Parameters);
        Assert.Empty(c.State.View().WithPrefix(GovernanceKeys.DuePrefix));
    }

    [Fact]
    public void Replaying_a_governance_history_from_genesis_gives_the_same_state()
    {
        using var c = new TestCommunity(fundSharePermille: 500, governance: ProposalRuleTests.Fast).WithMeters();
        Pass(c, Change(9, "sdr"));
        Pass(c, Change(10, 100));
        CloseVotes(c);
        for (int i = 0; i < 3; i++)
        {
            c.Produce(TestCommunity.EndOf(i), c.ReadingTx("m1", i + 1, i, 700 * (i + 1), 0), c.ReadingTx("m2", i + 1, i, 0, 900 * (i + 1)));
            c.Produce(TestCommunity.CloseOf(i));
        }
        ChainState replayed = ChainState.FromGenesis(c.Genesis);
        foreach (Block block in c.Blocks) replayed.ApplyBlock(block);
        Assert.Equal(Hashes.Hex(c.State.StateRoot), Hashes.Hex(replayed.StateRoot));
        Assert.Equal(("sdr", 100), (replayed.View().Parameters.PricingMechanism, replayed.View().Parameters.FundSharePermille));
    }
}
