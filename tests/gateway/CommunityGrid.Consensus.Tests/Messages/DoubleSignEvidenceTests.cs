using System.Linq;
using CommunityGrid.Consensus.Machine;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Consensus.Tests.Support;

namespace CommunityGrid.Consensus.Tests.Messages;

public class DoubleSignEvidenceTests
{
    private const string Chain = MachineHarness.ChainId;

    [Fact]
    public void Two_votes_of_one_slot_for_different_blocks_are_evidence_in_one_canonical_order()
    {
        using var keys = new TestKeys(4);
        var a = SignedVote.Create(Chain, MessageType.Prevote, 3, 1, new BlockId(Enumerable.Repeat((byte)5, 32).ToArray()), keys[1]);
        var nil = SignedVote.Create(Chain, MessageType.Prevote, 3, 1, null, keys[1]);
        DoubleSignEvidence one = DoubleSignEvidence.TryCreate(a, nil)!;
        DoubleSignEvidence other = DoubleSignEvidence.TryCreate(nil, a)!;
        Assert.Equal(one.Encode(), other.Encode());
        Assert.Null(one.First.BlockId);
        Assert.True(one.Verify(Chain, keys.Set));
        Assert.Equal(one.Encode(), DoubleSignEvidence.Decode(one.Encode()).Encode());
        Assert.Equal($"{System.Convert.ToHexStringLower(keys[1].PublicKey)}/3/1/2", one.OffenceKey);
    }

    [Fact]
    public void Votes_of_different_slots_or_for_the_same_block_are_not_evidence()
    {
        using var keys = new TestKeys(4);
        var nil = SignedVote.Create(Chain, MessageType.Prevote, 3, 1, null, keys[1]);
        Assert.Null(DoubleSignEvidence.TryCreate(nil, SignedVote.Create(Chain, MessageType.Prevote, 3, 2, new BlockId(new byte[32]), keys[1])));
        Assert.Null(DoubleSignEvidence.TryCreate(nil, SignedVote.Create(Chain, MessageType.Precommit, 3, 1, new BlockId(new byte[32]), keys[1])));
        Assert.Null(DoubleSignEvidence.TryCreate(nil, SignedVote.Create(Chain, MessageType.Prevote, 3, 1, new BlockId(new byte[32]), keys[2])));
        Assert.Null(DoubleSignEvidence.TryCreate(nil, nil));
        var reversed = new System.Formats.Cbor.CborWriter(System.Formats.Cbor.CborConformanceMode.Canonical);
        reversed.WriteStartArray(2);
        reversed.WriteEncodedValue(SignedVote.Create(Chain, MessageType.Prevote, 3, 1, new BlockId(new byte[32]), keys[1]).Encode());
        reversed.WriteEncodedValue(nil.Encode());
        reversed.WriteEndArray();
        Assert.Throws<ConsensusFormatException>(() => DoubleSignEvidence.Decode(reversed.Encode()));
    }

    [Fact]
    public void A_forged_second_vote_is_not_evidence()
    {
        using var keys = new TestKeys(4);
        var a = SignedVote.Create(Chain, MessageType.Prevote, 3, 1, null, keys[1]);
        var forged = new SignedVote(MessageType.Prevote, 3, 1, new BlockId(new byte[32]), keys[1].PublicKey, a.Signature);
        Assert.False(DoubleSignEvidence.TryCreate(a, forged)!.Verify(Chain, keys.Set));
        using var h = new MachineHarness();
        h.Start();
        h.Machine.OnVote(a, h.Now);
        Assert.Empty(h.Machine.OnVote(forged, h.Now).OfType<ReportEvidence>());
    }

    [Fact]
    public void The_machine_reports_a_double_vote_once_per_slot()
    {
        using var h = new MachineHarness();
        h.Start();
        var a = h.Block(1);
        var b = h.Block(2);
        h.Votes(MessageType.Prevote, 0, a.Id, 1);
        var outputs = h.Votes(MessageType.Prevote, 0, b.Id, 1);
        ReportEvidence report = outputs.OfType<ReportEvidence>().Single();
        Assert.True(report.Evidence.Verify(Chain, h.Keys.Set));
        Assert.Empty(h.Votes(MessageType.Prevote, 0, null, 1).OfType<ReportEvidence>()); // same slot: reported already
        Assert.Empty(h.Votes(MessageType.Prevote, 0, a.Id, 1).OfType<ReportEvidence>()); // an exact repeat is no offence
    }

    [Fact]
    public void A_double_voter_counts_once_per_block_so_it_cannot_hide_a_quorum_seen_elsewhere()
    {
        using var h = new MachineHarness();
        h.Start();
        var a = h.Block(1);
        h.Timeout(TimeoutStep.Propose, 0);                  // we prevote nil
        h.Votes(MessageType.Prevote, 0, null, 1);           // validator 1 sends us nil ...
        h.Votes(MessageType.Prevote, 0, a.Id, 1, 2, 3);     // ... and the others a vote for a
        Assert.Equal(Step.Prevote, h.Machine.Step);         // nil has 2 (us and validator 1's first vote): no nil precommit
        // a has 3 prevotes from 3 distinct validators, one of them validator 1's second vote: with the proposal
        // the node locks and precommits a (line 36), as it would had validator 1 sent it only the vote for a.
        var outputs = h.Propose(0, a);
        Assert.Equal(a.Id, MachineHarness.OwnVote(outputs, MessageType.Precommit)!.BlockId);
        Assert.Equal((0, a.Id), (h.Machine.LockedRound, h.Machine.LockedBlockId));
    }
}
