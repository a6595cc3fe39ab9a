using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Chain.Tests.Blocks;

/// <summary>
/// Issue 18: a commit signature held by block h's own commit and by the copy block h+1 carries is verified once per
/// chain state, and only the exact triple that verified counts as verified.
/// </summary>
public sealed class VerifiedPrecommitsTests
{
    [Fact]
    public void Only_the_exact_key_bytes_and_signature_that_verified_are_taken_as_verified()
    {
        using Ed25519Signer signer = Ed25519Signer.Generate();
        using Ed25519Signer other = Ed25519Signer.Generate();
        byte[] message = [1, 2, 3];
        byte[] signature = signer.Sign(message);
        var memo = new VerifiedPrecommits();

        Assert.True(memo.Check(signer.PublicKey, message, signature));
        Assert.True(memo.Check(signer.PublicKey, message, signature));
        Assert.Equal((1L, 1L), (memo.Verifications, memo.Hits));

        Assert.False(memo.Check(signer.PublicKey, [1, 2, 4], signature)); // other bytes signed
        Assert.False(memo.Check(other.PublicKey, message, signature)); // another key
        byte[] flipped = (byte[])signature.Clone();
        flipped[^1] ^= 0x01;
        Assert.False(memo.Check(signer.PublicKey, message, flipped));
        Assert.False(memo.Check(signer.PublicKey, message, flipped)); // a failure is not remembered: verified again
        Assert.Equal((5L, 1L), (memo.Verifications, memo.Hits));
    }

    [Fact]
    public void What_the_caller_changes_in_its_arrays_afterwards_does_not_change_what_was_verified()
    {
        using Ed25519Signer signer = Ed25519Signer.Generate();
        byte[] message = [7, 7, 7];
        byte[] signature = signer.Sign(message);
        var memo = new VerifiedPrecommits();
        Assert.True(memo.Check(signer.PublicKey, message, signature));
        message[0] = 8;
        Assert.False(memo.Check(signer.PublicKey, message, signature));
    }

    [Fact]
    public void Applying_a_chain_verifies_each_commit_signature_once_although_the_next_block_carries_it_again()
    {
        using TestCommunity c = ReplayTests.BusyChain(6);
        var replay = Chain.State.ChainState.FromGenesis(c.Genesis);
        foreach (Block block in c.Blocks) replay.ApplyBlock(block);

        Assert.Equal(c.Blocks.Sum(b => b.Commit.Signatures.Count), replay.CommitSignatures.Verifications);
        Assert.Equal(c.Blocks.Skip(1).Sum(b => b.Body.PreviousCommit!.Signatures.Count), replay.CommitSignatures.Hits);
    }

    [Fact]
    public void A_transaction_decoded_ahead_is_used_only_for_the_very_bytes_it_was_decoded_from()
    {
        using TestCommunity c = ReplayTests.BusyChain(3);
        Block block = c.Blocks.First(b => b.Body.Transactions.Count > 1);
        var replay = Chain.State.ChainState.FromGenesis(c.Genesis);
        foreach (Block before in c.Blocks.TakeWhile(b => b.Height < block.Height)) replay.ApplyBlock(before);

        // Decoded from a copy of other bytes (a transaction of another position): if it were used in place of
        // transaction 0, the block would execute other transactions and not verify.
        Transaction? misplaced = Transaction.TryDecode((byte[])block.Body.Transactions[1].Clone(), out _, verified: null);
        Transaction?[] decoded = [misplaced, .. block.Body.Transactions.Skip(1).Select(t => Transaction.TryDecode(t, out _, verified: null))];
        replay.ApplyBlock(block, decoded);
        Assert.Equal(block.Height, replay.Height);
        Assert.Equal(block.Header.StateRoot, replay.StateRoot);
    }
}
