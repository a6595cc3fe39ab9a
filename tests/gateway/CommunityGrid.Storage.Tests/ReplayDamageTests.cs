using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Consensus.Messages;

namespace CommunityGrid.Storage.Tests;

/// <summary>
/// The full replay (what <c>cgrid verify</c> runs) decodes and verifies transactions ahead on worker threads, executes
/// what they decoded, and verifies a commit signature the next block carries again only if it is not the very one it
/// verified before (issue 18). Each test stores a chain with one block damaged so that exactly one check can see it
/// (the block is re-signed, so its header, commit and roots are otherwise consistent): if that check were skipped, the
/// chain would open. Each expects the refusal at that block, with the message a one-block-at-a-time replay gives.
/// </summary>
public sealed class ReplayDamageTests
{
    private const string Refusal = StoreFixture.ReplayRefusal;

    private static Block Middle(StoreFixture f, System.Func<Block, bool> holds) =>
        f.Community.Blocks.First(b => b.Height > f.Community.Blocks.Count / 2 && holds(b));

    private static string RefusedAt(StoreFixture f, Block damaged)
    {
        f.StoreInstead(damaged);
        string message = Assert.Throws<ChainStoreException>(() => f.Open(VerifyMode.Full).Dispose()).Message;
        Assert.Equal(f.SequentialVerdict(damaged), message);
        Assert.StartsWith($"{Refusal}block {damaged.Height}", message);
        return message;
    }

    [Fact]
    public void The_untampered_chain_opens_and_every_commit_signature_is_verified_once()
    {
        using var f = new StoreFixture(intervals: 12);
        f.StoreBlocks();
        using ChainStore store = f.Open(VerifyMode.Full);
        Assert.Equal(f.Community.Blocks.Count, store.Height);
        // One validator: one signature per block's commit; each block after the first carries it again.
        int signatures = f.Community.Blocks.Sum(b => b.Commit.Signatures.Count);
        Assert.Equal(signatures, store.State.CommitSignatures.Verifications);
        Assert.Equal(f.Community.Blocks.Skip(1).Sum(b => b.Body.PreviousCommit!.Signatures.Count), store.State.CommitSignatures.Hits);
    }

    [Fact]
    public void A_reading_whose_signature_does_not_verify()
    {
        using var f = new StoreFixture(intervals: 12);
        f.StoreBlocks();
        Block original = Middle(f, b => b.Body.Transactions.Count > 1);
        var txs = original.Body.Transactions.Select(t => (byte[])t.Clone()).ToList();
        txs[1][^1] ^= 0x01; // the last byte of the COSE_Sign1 is the signature's
        BlockBody body = original.Body with { Transactions = txs };
        Block damaged = BlockForge.Resign(original.Header with { TxRoot = body.TxRoot() }, body, f.Community.Validator);

        string message = RefusedAt(f, damaged);
        Assert.Contains("transaction 1", message);
        Assert.Contains(nameof(Chain.Validation.RejectionReason.BadSignature), message);
    }

    [Fact]
    public void A_forged_signature_in_the_blocks_own_commit()
    {
        using var f = new StoreFixture(intervals: 12);
        f.StoreBlocks();
        Block original = Middle(f, b => b.Body.Transactions.Count > 0);
        byte[] commit = original.Commit.Encode();
        commit[^1] ^= 0x80;
        var damaged = new Block(original.Header, original.Body, BlockCommits.Decode(commit, "commit"));

        Assert.Contains($"is not a precommit of height {damaged.Height}", RefusedAt(f, damaged));
    }

    [Fact]
    public void A_forged_signature_in_the_carried_copy_of_a_commit_that_verified_as_stored()
    {
        using var f = new StoreFixture(intervals: 12);
        f.StoreBlocks();
        Block original = Middle(f, b => b.Body.PreviousCommit is not null);
        CommitCertificate carried = original.Body.PreviousCommit!;
        // Same signer, height, round and block as the stored commit of the block before, which verifies: only the
        // signature bytes differ, so a memo matching anything less than the whole signature would let it through.
        var forged = new CommitCertificate(carried.Height, carried.Round, carried.BlockId,
            carried.Signatures.Select(s => new CommitSignature(s.Validator, Flipped(s.Signature))).ToList());
        BlockBody body = original.Body with { PreviousCommit = forged };
        Block damaged = BlockForge.Resign(original.Header with { PreviousCommitHash = BlockCommits.PreviousCommitHash(forged) }, body, f.Community.Validator);

        string message = RefusedAt(f, damaged);
        Assert.Contains($"the carried commit of block {damaged.Height - 1}", message);
        Assert.Contains($"is not a precommit of height {damaged.Height - 1}", message);
    }

    [Fact]
    public void A_header_whose_state_root_is_not_the_replayed_one()
    {
        using var f = new StoreFixture(intervals: 12);
        f.StoreBlocks();
        Block original = Middle(f, b => b.Body.Transactions.Count > 0);
        byte[] root = (byte[])original.Header.StateRoot.Clone();
        root[0] ^= 0x01;
        Block damaged = BlockForge.Resign(original.Header with { StateRoot = root }, original.Body, f.Community.Validator);

        Assert.Contains("is not the recomputed", RefusedAt(f, damaged));
    }

    [Fact]
    public void A_settlement_that_is_not_the_recomputed_one()
    {
        using var f = new StoreFixture(intervals: 12);
        f.StoreBlocks();
        Block original = Middle(f, b => b.Body.Settlements.Count > 0 && b.Body.Settlements[0].Houses.Count > 1);
        SettlementResult s = original.Body.Settlements[0];
        // A minor unit moved from one house's net to another's: the totals still add up; only recomputing shows it.
        var houses = s.Houses.ToList();
        houses[0] = houses[0] with { Net = houses[0].Net + 1 };
        houses[1] = houses[1] with { Net = houses[1].Net - 1 };
        List<SettlementResult> settlements = [s with { Houses = houses }, .. original.Body.Settlements.Skip(1)];
        BlockBody body = original.Body with { Settlements = settlements };
        Block damaged = BlockForge.Resign(original.Header with { SettlementRoot = body.SettlementRoot() }, body, f.Community.Validator);

        Assert.Contains($"settlement of interval {s.IntervalStart} differs from the recomputed one", RefusedAt(f, damaged));
    }

    private static byte[] Flipped(byte[] signature)
    {
        var copy = (byte[])signature.Clone();
        copy[^1] ^= 0x01;
        return copy;
    }
}
