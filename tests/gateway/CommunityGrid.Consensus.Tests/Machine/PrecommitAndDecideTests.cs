using System.Linq;
using CommunityGrid.Consensus.Machine;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Consensus.Tests.Support;

namespace CommunityGrid.Consensus.Tests.Machine;

/// <summary>Lines 34–56 and 61–67 of Algorithm 1.</summary>
public class PrecommitAndDecideTests
{
    [Fact]
    public void Proposal_and_2f_plus_1_prevotes_lock_precommit_and_set_the_valid_value()
    {
        using var h = new MachineHarness();
        h.Start();
        var a = h.Block(1);
        h.Propose(0, a);
        var outputs = h.Votes(MessageType.Prevote, 0, a.Id, h.Others(2));
        Assert.Equal(a.Id, MachineHarness.OwnVote(outputs, MessageType.Precommit)!.BlockId);
        Assert.Equal((0, a.Id), (h.Machine.LockedRound, h.Machine.LockedBlockId));
        Assert.Equal((0, a.Id), (h.Machine.ValidRound, h.Machine.ValidBlock!.Id));
    }

    [Fact]
    public void Two_f_prevotes_are_not_enough_to_precommit()
    {
        using var h = new MachineHarness();
        h.Start();
        var a = h.Block(1);
        h.Propose(0, a);
        var outputs = h.Votes(MessageType.Prevote, 0, a.Id, h.Others(1)); // 2 of 4 with our own
        Assert.Null(MachineHarness.OwnVote(outputs, MessageType.Precommit));
        Assert.Equal(-1, h.Machine.LockedRound);
    }

    [Fact]
    public void Prevotes_seen_after_precommitting_nil_update_the_valid_value_but_not_the_lock()
    {
        using var h = new MachineHarness();
        h.Start();
        var a = h.Block(1);
        h.Timeout(TimeoutStep.Propose, 0);                 // prevote nil
        h.Votes(MessageType.Prevote, 0, a.Id, 1, 2);       // 2f+1 of anything
        h.Timeout(TimeoutStep.Prevote, 0);                 // precommit nil (line 61)
        Assert.Equal(Step.Precommit, h.Machine.Step);
        var outputs = h.Propose(0, a);
        outputs = h.Votes(MessageType.Prevote, 0, a.Id, 3);  // now the proposal and 2f+1 prevotes for a
        Assert.Null(MachineHarness.OwnVote(outputs, MessageType.Precommit));
        Assert.Equal((0, a.Id), (h.Machine.ValidRound, h.Machine.ValidBlock!.Id)); // line 42–43
        Assert.Equal(-1, h.Machine.LockedRound);                                   // line 38 only in the prevote step
    }

    [Fact]
    public void Two_f_plus_1_nil_prevotes_make_a_nil_precommit()
    {
        using var h = new MachineHarness();
        h.Start();
        h.Timeout(TimeoutStep.Propose, 0);
        var outputs = h.Votes(MessageType.Prevote, 0, null, h.Others(2));
        SignedVote precommit = MachineHarness.OwnVote(outputs, MessageType.Precommit)!;
        Assert.Null(precommit.BlockId);
        Assert.Equal(-1, h.Machine.LockedRound);
    }

    [Fact]
    public void Split_prevotes_arm_timeout_prevote_once_and_its_expiry_precommits_nil()
    {
        using var h = new MachineHarness();
        h.Start();
        var a = h.Block(1);
        h.Propose(0, a);                                              // we prevote a
        var outputs = h.Votes(MessageType.Prevote, 0, null, h.Others(2));   // a, nil, nil: 2f+1 of anything
        ScheduleTimeout timeout = outputs.OfType<ScheduleTimeout>().Single();
        Assert.Equal((TimeoutStep.Prevote, 0), (timeout.Step, timeout.Round));
        Assert.Null(MachineHarness.OwnVote(outputs, MessageType.Precommit));
        Assert.Empty(h.Votes(MessageType.Prevote, 0, a.Id, h.Others(3)[2]).OfType<ScheduleTimeout>());
        Assert.Null(MachineHarness.OwnVote(h.Timeout(TimeoutStep.Prevote, 0), MessageType.Precommit)!.BlockId);
    }

    [Fact]
    public void Two_f_plus_1_precommits_of_anything_arm_timeout_precommit_whose_expiry_starts_the_next_round()
    {
        using var h = new MachineHarness();
        h.Start();
        h.Timeout(TimeoutStep.Propose, 0);
        var a = h.Block(1);
        var outputs = h.Votes(MessageType.Precommit, 0, a.Id, 1);
        outputs = h.Votes(MessageType.Precommit, 0, null, 2, 3);
        Assert.Single(outputs.OfType<ScheduleTimeout>(), t => t.Step == TimeoutStep.Precommit && t.Round == 0);
        outputs = h.Timeout(TimeoutStep.Precommit, 0);
        Assert.Equal((1, Step.Propose), (h.Machine.Round, h.Machine.Step));
        ScheduleTimeout propose = outputs.OfType<ScheduleTimeout>().Single();
        Assert.Equal((TimeoutStep.Propose, 1, 1500L), (propose.Step, propose.Round, propose.DelayMs));
    }

    [Fact]
    public void Proposal_and_2f_plus_1_precommits_decide_with_a_certificate_of_that_round()
    {
        using var h = new MachineHarness();
        h.Start();
        var a = h.Block(1);
        h.Propose(0, a);
        h.Votes(MessageType.Prevote, 0, a.Id, h.Others(2));
        var outputs = h.Votes(MessageType.Precommit, 0, a.Id, h.Others(2));
        Decide decide = outputs.OfType<Decide>().Single();
        Assert.Equal((1L, 0, a.Id), (decide.Height, decide.Round, decide.Block.Id));
        Assert.True(decide.Certificate.Verify(MachineHarness.ChainId, h.Keys.Set).IsValid);
        Assert.True(h.Machine.Decided);
        Assert.Empty(h.Votes(MessageType.Precommit, 0, a.Id, h.Others(3)[2])); // decided: nothing more at this height
    }

    [Fact]
    public void Precommits_that_arrive_before_the_proposal_decide_when_it_arrives()
    {
        using var h = new MachineHarness();
        h.Start();
        var a = h.Block(1);
        var outputs = h.Votes(MessageType.Precommit, 0, a.Id, h.Others(3));
        Assert.Equal(a.Id, outputs.OfType<RequestBlock>().Single().Id);
        Assert.Empty(outputs.OfType<Decide>());
        Assert.Equal(a.Id, h.Propose(0, a).OfType<Decide>().Single().Block.Id);
    }

    [Fact]
    public void A_block_fetched_by_id_completes_a_decision()
    {
        using var h = new MachineHarness();
        h.Start();
        var a = h.Block(1);
        h.Votes(MessageType.Precommit, 0, a.Id, h.Others(3));
        Assert.Empty(h.Machine.OnBlock(h.Block(2), h.Now).OfType<Decide>()); // another block does not
        Assert.Equal(a.Id, h.Machine.OnBlock(a, h.Now).OfType<Decide>().Single().Block.Id);
    }

    [Fact]
    public void A_late_quorum_of_precommits_from_an_earlier_round_decides()
    {
        using var seven = new MachineHarness(validators: 7);
        seven.Start();
        var b = seven.Block(3);
        seven.Propose(0, b);
        seven.Timeout(TimeoutStep.Prevote, 0);
        seven.Votes(MessageType.Precommit, 1, null, 1, 2, 3, 4, 5); // f+1 in round 1 skip us there; 2f+1 arm its timeout
        seven.Timeout(TimeoutStep.Precommit, 1);
        Assert.Equal(2, seven.Machine.Round);
        var outputs = seven.Votes(MessageType.Precommit, 0, b.Id, 1, 2, 3, 4, 5);
        Decide decide = outputs.OfType<Decide>().Single();
        Assert.Equal((0, b.Id), (decide.Round, decide.Block.Id));
        Assert.All(decide.Certificate.Signatures, s => Assert.NotEqual(seven.Keys[0].PublicKey, s.Validator));
    }

    [Fact]
    public void f_plus_1_messages_of_a_later_round_make_the_node_skip_to_it_f_do_not()
    {
        using var h = new MachineHarness(validators: 7);
        h.Start();
        h.Votes(MessageType.Prevote, 5, null, 1, 2);      // f = 2 of 7
        Assert.Equal(0, h.Machine.Round);
        var outputs = h.Votes(MessageType.Precommit, 5, null, 3);  // f+1 = 3 distinct validators
        Assert.Equal(5, h.Machine.Round);
        Assert.Contains(outputs.OfType<ScheduleTimeout>(), t => t.Step == TimeoutStep.Propose && t.Round == 5);
    }

    [Fact]
    public void Votes_from_a_validator_counted_twice_do_not_make_a_quorum()
    {
        using var h = new MachineHarness();
        h.Start();
        var a = h.Block(1);
        h.Propose(0, a);
        h.Votes(MessageType.Prevote, 0, a.Id, 1, 1, 1);
        Assert.Equal(Step.Prevote, h.Machine.Step);
    }
}
