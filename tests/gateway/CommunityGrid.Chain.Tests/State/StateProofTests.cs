using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Blocks;
using CommunityGrid.Chain.Tests.Support;

namespace CommunityGrid.Chain.Tests.State;

public sealed class StateProofTests
{
    [Fact]
    public void A_balance_proof_verifies_against_the_tip_header_state_root()
    {
        using TestCommunity c = ReplayTests.BusyChain(3);
        Block tip = c.Blocks[^1];
        StateProof proof = c.State.Prove(StateKeys.Balance("h1"))!;

        Assert.Equal(c.Balance("h1"), StateValues.DecodeInt(proof.Value, "balance"));
        Assert.True(proof.Verify(tip.Header.StateRoot));
        Assert.False((proof with { Value = StateValues.EncodeInt(c.Balance("h1") + 1) }).Verify(tip.Header.StateRoot));
        Assert.Null(c.State.Prove(StateKeys.Balance("nobody")));
    }

    [Fact]
    public void The_genesis_state_root_is_over_all_entries_in_ordinal_key_order()
    {
        using var c = new TestCommunity();
        Assert.Equal(StateTree.Root(c.State.Entries, StateTree.LayoutInKeyOrder(c.State.Entries)), c.State.StateRoot);
        string? previous = null;
        foreach (var entry in c.State.Entries.Entries())
        {
            if (previous is not null) Assert.True(string.CompareOrdinal(previous, entry.Key) < 0);
            previous = entry.Key;
        }
    }
}
