using System.Linq;
using CommunityGrid.Consensus.Machine;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Consensus.Tests.Support;

namespace CommunityGrid.Consensus.Tests.Machine;

/// <summary>Lines 11–33 and 57–60 of Algorithm 1, plus the PBTS block-time rule.</summary>
public class ProposeAndPrevoteTests
{
    [Fact]
    public void The_proposer_proposes_a_new_block_at_its_clock_and_prevotes_it()
    {
        using var h = new MachineHarness(self: 1); // proposer(1, 0) = (1 + 0) mod 4
        var outputs = h.Start();
        BroadcastProposal proposal = outputs.OfType<BroadcastProposal>().Single();
        Assert.Equal(-1, proposal.Proposal.ValidRound);
        Assert.Equal(h.Now, proposal.Block.TimeMs);
        Assert.Equal(proposal.Block.Id, MachineHarness.OwnVote(outputs, MessageType.Prevote)!.BlockId);
        Assert.Equal(Step.Prevote, h.Machine.Step);
    }

    [Fact]
    public void A_proposer_whose_clock_is_behind_still_proposes_after_the_previous_block_time()
    {
        using var h = new MachineHarness(self: 1) { Now = MachineHarness.PreviousTime - 5 };
        BroadcastProposal proposal = h.Start().OfType<BroadcastProposal>().Single();
        Assert.Equal(MachineHarness.PreviousTime + 1, proposal.Block.TimeMs);
    }

    [Fact]
    public void A_non_proposer_arms_timeout_propose_growing_with_the_round()
    {
        using var h = new MachineHarness(self: 0);
        ScheduleTimeout timeout = h.Start().OfType<ScheduleTimeout>().Single();
        Assert.Equal((TimeoutStep.Propose, 0, MachineHarness.Parameters.ProposeTimeoutMs), (timeout.Step, timeout.Round, timeout.DelayMs));
        Assert.Equal(1000 + 3 * 500, MachineHarness.Parameters.TimeoutMs(TimeoutStep.Propose, 3));
        Assert.Equal(500 + 2 * 250, MachineHarness.Parameters.TimeoutMs(TimeoutStep.Precommit, 2));
    }

    [Fact]
    public void A_valid_timely_proposal_gets_a_prevote_for_its_block()
    {
        using var h = new MachineHarness();
        h.Start();
        var block = h.Block(7);
        Assert.Equal(block.Id, MachineHarness.OwnVote(h.Propose(0, block), MessageType.Prevote)!.BlockId);
    }

    [Fact]
    public void An_invalid_block_gets_a_nil_prevote()
    {
        using var h = new MachineHarness();
        h.Start();
        SignedVote prevote = MachineHarness.OwnVote(h.Propose(0, h.Block(7, valid: false)), MessageType.Prevote)!;
        Assert.Null(prevote.BlockId);
    }

    [Theory]
    [InlineData(-600)]    // more than the clock precision (500 ms) in the future
    [InlineData(2_501)]   // older than message delay (2000) + precision (500)
    public void A_proposal_whose_time_is_not_near_the_local_clock_gets_a_nil_prevote(long proposalTimeOffset)
    {
        using var h = new MachineHarness();
        h.Start();
        var block = h.Block(7, time: h.Now - proposalTimeOffset);
        Assert.Null(MachineHarness.OwnVote(h.Propose(0, block), MessageType.Prevote)!.BlockId);
    }

    [Theory]
    [InlineData(-500)]
    [InlineData(2_500)]
    public void A_proposal_at_the_edge_of_the_time_bound_is_timely(long proposalTimeOffset)
    {
        using var h = new MachineHarness();
        h.Start();
        var block = h.Block(7, time: h.Now - proposalTimeOffset);
        Assert.Equal(block.Id, MachineHarness.OwnVote(h.Propose(0, block), MessageType.Prevote)!.BlockId);
    }

    [Fact]
    public void A_block_not_after_the_previous_block_time_gets_a_nil_prevote_even_when_timely()
    {
        using var h = new MachineHarness { Now = MachineHarness.PreviousTime + 100 };
        h.Start();
        var block = h.Block(7, time: MachineHarness.PreviousTime);
        Assert.Null(MachineHarness.OwnVote(h.Propose(0, block), MessageType.Prevote)!.BlockId);
    }

    [Fact]
    public void A_proposal_from_a_validator_that_is_not_the_proposer_is_ignored()
    {
        using var h = new MachineHarness();
        h.Start();
        var block = h.Block(7);
        var outputs = h.Machine.OnProposal(h.Proposal(0, block, by: 2), block, h.Now);
        Assert.Empty(outputs);
        Assert.Equal(Step.Propose, h.Machine.Step);
    }

    [Fact]
    public void Timeout_propose_prevotes_nil_and_a_stale_timeout_does_nothing()
    {
        using var h = new MachineHarness();
        h.Start();
        Assert.Empty(h.Timeout(TimeoutStep.Propose, 5));
        Assert.Null(MachineHarness.OwnVote(h.Timeout(TimeoutStep.Propose, 0), MessageType.Prevote)!.BlockId);
        Assert.Empty(h.Timeout(TimeoutStep.Propose, 0)); // already in the prevote step
    }

    [Fact]
    public void A_node_locked_on_one_block_prevotes_nil_for_a_new_block_in_a_later_round()
    {
        using var h = new MachineHarness();
        h.Start();
        var a = h.Block(1);
        h.Propose(0, a);
        h.Votes(MessageType.Prevote, 0, a.Id, h.Others(2)); // 2f+1 with our own prevote: lock on a
        Assert.Equal((0, a.Id), (h.Machine.LockedRound, h.Machine.LockedBlockId));
        h.Votes(MessageType.Precommit, 0, null, h.Others(3));
        h.Timeout(TimeoutStep.Precommit, 0);
        Assert.Equal(1, h.Machine.Round);
        var b = h.Block(2);
        Assert.Null(MachineHarness.OwnVote(h.Propose(1, b), MessageType.Prevote)!.BlockId);
    }

    [Fact]
    public void A_locked_node_prevotes_its_locked_block_when_it_is_proposed_again()
    {
        using var h = new MachineHarness();
        h.Start();
        var a = h.Block(1);
        h.Propose(0, a);
        h.Votes(MessageType.Prevote, 0, a.Id, h.Others(2));
        h.Votes(MessageType.Precommit, 0, null, h.Others(3));
        h.Timeout(TimeoutStep.Precommit, 0);
        Assert.Equal(a.Id, MachineHarness.OwnVote(h.Propose(1, a, validRound: 0), MessageType.Prevote)!.BlockId);
    }

    [Fact]
    public void A_re_proposal_with_2f_plus_1_prevotes_in_a_round_after_the_lock_unlocks()
    {
        using var h = new MachineHarness();
        h.Start();
        var a = h.Block(1);
        var b = h.Block(2);
        h.Propose(0, a);
        h.Votes(MessageType.Prevote, 0, a.Id, h.Others(2)); // locked on a in round 0
        h.Votes(MessageType.Precommit, 0, null, h.Others(3));
        h.Timeout(TimeoutStep.Precommit, 0);
        h.Votes(MessageType.Prevote, 1, b.Id, h.Others(3)); // others saw 2f+1 prevotes for b in round 1
        h.Votes(MessageType.Precommit, 1, null, h.Others(3));
        h.Timeout(TimeoutStep.Prevote, 1);
        h.Timeout(TimeoutStep.Precommit, 1);
        Assert.Equal(2, h.Machine.Round);
        // Line 28–29: validRound 1 >= lockedRound 0, so the lock gives way.
        Assert.Equal(b.Id, MachineHarness.OwnVote(h.Propose(2, b, validRound: 1), MessageType.Prevote)!.BlockId);
    }

    [Fact]
    public void A_re_proposal_from_before_the_lock_does_not_unlock()
    {
        using var h = new MachineHarness();
        h.Start();
        var a = h.Block(1);
        var b = h.Block(2);
        h.Votes(MessageType.Prevote, 0, b.Id, h.Others(3)); // b had 2f+1 prevotes in round 0 (we missed its proposal)
        h.Timeout(TimeoutStep.Propose, 0);
        h.Votes(MessageType.Precommit, 0, null, h.Others(3));
        h.Timeout(TimeoutStep.Precommit, 0);
        h.Propose(1, a);
        h.Votes(MessageType.Prevote, 1, a.Id, h.Others(2)); // locked on a in round 1
        Assert.Equal((1, a.Id), (h.Machine.LockedRound, h.Machine.LockedBlockId));
        h.Votes(MessageType.Precommit, 1, null, h.Others(3));
        h.Timeout(TimeoutStep.Precommit, 1);
        Assert.Null(MachineHarness.OwnVote(h.Propose(2, b, validRound: 0), MessageType.Prevote)!.BlockId);
    }

    [Fact]
    public void A_re_proposal_without_2f_plus_1_prevotes_in_its_valid_round_waits_for_them()
    {
        using var h = new MachineHarness();
        h.Start();
        h.Timeout(TimeoutStep.Propose, 0);
        h.Votes(MessageType.Precommit, 0, null, h.Others(3));
        h.Timeout(TimeoutStep.Precommit, 0);
        var b = h.Block(2);
        Assert.Empty(h.Propose(1, b, validRound: 0).OfType<BroadcastVote>());
        Assert.Equal(Step.Propose, h.Machine.Step);
        var outputs = h.Votes(MessageType.Prevote, 0, b.Id, h.Others(3));
        Assert.Equal(b.Id, MachineHarness.OwnVote(outputs, MessageType.Prevote)!.BlockId);
    }
}
