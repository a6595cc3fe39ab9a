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
    public void Every_produced_and_replayed_root_equals_the_full_portable_computation()
    {
        using TestCommunity c = ReplayTests.BusyChain(6);
        ChainState fresh = ChainState.FromGenesis(c.Genesis);
        Assert.Equal(Hashes.Hex(MerkleTree.Root(StateTree.Leaves(fresh.Entries))), Hashes.Hex(fresh.StateRoot));
        foreach (Block block in c.Blocks)
        {
            fresh.ApplyBlock(block);
            Assert.Equal(Hashes.Hex(MerkleTree.Root(StateTree.Leaves(fresh.Entries))), Hashes.Hex(fresh.StateRoot));
        }
        Assert.Equal(Hashes.Hex(MerkleTree.Root(StateTree.Leaves(c.State.Entries))), Hashes.Hex(c.State.StateRoot));
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
        Assert.Equal(Hashes.Hex(MerkleTree.Root(StateTree.Leaves(c.State.Entries))), Hashes.Hex(c.State.StateRoot));
    }

    [Fact]
    public void A_state_restored_from_a_snapshot_has_the_tip_root_and_proves_its_entries()
    {
        using TestCommunity c = ReplayTests.BusyChain(3);
        var stored = new System.Collections.Generic.List<StateChange>();
        foreach (var entry in c.State.Entries.Entries()) stored.Add(new StateChange(entry.Key, entry.Value));
        ChainState restored = ChainState.FromSnapshot(c.Genesis, c.Blocks[^1].Header, c.Blocks[^1].Commit, stored);
        Assert.Equal(c.State.StateRoot, restored.StateRoot);
        StateProof proof = restored.Prove(StateKeys.Meter("m1"))!;
        Assert.True(MerkleTree.VerifyInclusion(proof.Leaf, proof.Index, proof.TreeSize, proof.Path, c.Blocks[^1].Header.StateRoot));
    }
}
