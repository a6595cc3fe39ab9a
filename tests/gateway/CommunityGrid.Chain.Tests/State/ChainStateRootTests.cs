using System.Collections.Generic;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Blocks;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Chain.Tests.State;

public sealed class ChainStateRootTests
{
    [Fact]
    public void Every_produced_and_replayed_root_equals_the_definition_with_the_layout_carried_block_by_block()
    {
        using TestCommunity c = ReplayTests.ChainThatReusesSlots(4);
        ChainState fresh = ChainState.FromGenesis(c.Genesis);
        // The genesis state never lost a key: its slots are in key order.
        string?[] layout = StateTree.LayoutInKeyOrder(fresh.Entries);
        Assert.Equal(StateRootDefinition.Hex(fresh.Entries, layout), Hashes.Hex(fresh.StateRoot));
        bool freedAndTaken = false;
        foreach (Block block in c.Blocks)
        {
            PreparedBlock applied = fresh.ApplyBlock(block);
            string?[] after = StateTree.LayoutAfter(layout, applied.Changes);
            for (int i = 0; i < applied.Changes.Count; i++)
            {
                int expected = applied.Changes[i].Value is null ? -1 : System.Array.IndexOf(after, applied.Changes[i].Key);
                Assert.Equal(expected, applied.Slots[i]);
                // A key new in this block that sits in a slot an earlier key held: a pending/ entry of the next interval, say.
                if (expected >= 0 && expected < layout.Length && layout[expected] != applied.Changes[i].Key) freedAndTaken = true;
            }
            layout = after;
            Assert.Equal(StateRootDefinition.Hex(fresh.Entries, layout), Hashes.Hex(fresh.StateRoot));
            Assert.Equal(IncrementalStateTreeTests.Shown(layout), IncrementalStateTreeTests.Shown(fresh.SlotLayout()));
        }
        Assert.True(freedAndTaken, "the chain never reused a slot; the test does not test reuse");
        Assert.Equal(StateRootDefinition.Hex(c.State.Entries, layout), Hashes.Hex(c.State.StateRoot));
    }

    [Fact]
    public void A_proposal_just_computed_does_not_let_a_block_with_another_root_through()
    {
        using TestCommunity c = new TestCommunity().WithMeters();
        long time = TestCommunity.At(2);
        byte[] tx = c.PaymentTx("h1", PaymentKind.Deposit, 500);
        Proposal proposal = BlockProducer.Propose(c.State, [tx], time, c.Validator.PublicKey);
        Assert.NotNull(proposal.Header);

        byte[] wrong = (byte[])proposal.Header!.StateRoot.Clone();
        wrong[^1] ^= 1;
        Block forged = BlockForge.Build(c, time, [tx], stateRoot: wrong);
        Assert.Throws<BlockVerificationException>(() => c.State.ApplyBlock(forged));

        Block honest = BlockForge.Build(c, time, [tx], stateRoot: proposal.Header.StateRoot);
        c.State.ApplyBlock(honest);
        Assert.Equal(StateRootDefinition.Hex(c.State.Entries, c.State.SlotLayout()), Hashes.Hex(c.State.StateRoot));
    }

    [Fact]
    public void A_state_restored_from_a_snapshot_has_the_tip_root_proves_its_entries_and_replays_on()
    {
        using TestCommunity c = ReplayTests.ChainThatReusesSlots(4);
        // The snapshot is taken after the first round's close, before the last round (3 blocks) reuses the freed slots.
        int snapshot = c.Blocks.Count - 3;
        ChainState replayed = ChainState.FromGenesis(c.Genesis);
        for (int h = 0; h < snapshot; h++) replayed.ApplyBlock(c.Blocks[h]);
        var stored = new List<SlottedEntry>(replayed.SlottedEntries());
        Assert.True(System.Array.IndexOf(replayed.SlotLayout(), null) >= 0, "no slot is free at the snapshot; the test does not test restoring free slots");

        BlockHeader tip = c.Blocks[snapshot - 1].Header;
        ChainState restored = ChainState.FromSnapshot(c.Genesis, tip, c.Blocks[snapshot - 1].Commit, stored);
        Assert.Equal(replayed.StateRoot, restored.StateRoot);
        StateProof proof = restored.Prove(StateKeys.Meter("m1"))!;
        Assert.True(MerkleTree.VerifyInclusion(proof.Leaf, proof.Index, proof.TreeSize, proof.Path, tip.StateRoot));
        // The blocks after the snapshot verify against the restored slots, free ones included.
        for (int h = snapshot; h < c.Blocks.Count; h++) restored.ApplyBlock(c.Blocks[h]);
        Assert.Equal(c.State.StateRoot, restored.StateRoot);
    }

    [Fact]
    public void A_snapshot_whose_slots_differ_does_not_have_the_tip_root()
    {
        using TestCommunity c = ReplayTests.BusyChain(3);
        var stored = new List<SlottedEntry>(c.State.SlottedEntries());
        // Same entries, two of them in each other's slots.
        (stored[0], stored[1]) = (stored[0] with { Slot = stored[1].Slot }, stored[1] with { Slot = stored[0].Slot });
        var e = Assert.Throws<BlockVerificationException>(() => ChainState.FromSnapshot(c.Genesis, c.Blocks[^1].Header, c.Blocks[^1].Commit, stored));
        Assert.Contains("stored state has root", e.Message);
    }
}
