using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Formats.Readings;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Storage.Tests;

/// <summary>
/// A full replay verifies transaction signatures on worker threads ahead of the sequential replay
/// (<see cref="SignaturesAhead"/>). Its verdicts must be the sequential replay's: a damaged block read and verified
/// ahead is refused with exactly the message a plain block-by-block replay gives, and damage further on does not
/// overtake it.
/// </summary>
public sealed class ParallelReplayTests
{
    private const string Refusal = StoreFixture.ReplayRefusal;

    /// <summary>A block in the middle of the chain with readings, so that the replay reads it ahead.</summary>
    private static Block MiddleBlockWithReadings(StoreFixture f) =>
        f.Community.Blocks.First(b => b.Height > f.Community.Blocks.Count / 2 && b.Body.Transactions.Count > 1);

    private static Block WithBadTransactionSignature(StoreFixture f, Block original, int index)
    {
        var txs = original.Body.Transactions.Select(t => (byte[])t.Clone()).ToList();
        txs[index][^1] ^= 0x01; // the last byte of the COSE_Sign1 is the signature's
        BlockBody body = original.Body with { Transactions = txs };
        // A block whose header and commit match its body: only the transaction's own signature is wrong.
        return BlockForge.Resign(original.Header with { TxRoot = body.TxRoot() }, body, f.Community.Validator);
    }

    private static string OpenFails(StoreFixture f) => Assert.Throws<ChainStoreException>(() => f.Open(VerifyMode.Full).Dispose()).Message;

    [Fact]
    public void A_bad_transaction_signature_in_a_block_verified_ahead_is_refused_as_the_sequential_replay_refuses_it()
    {
        using var f = new StoreFixture(intervals: 12);
        f.StoreBlocks();
        Block damaged = WithBadTransactionSignature(f, MiddleBlockWithReadings(f), 1);
        f.StoreInstead(damaged);

        string message = OpenFails(f);
        Assert.Equal(f.SequentialVerdict(damaged), message);
        Assert.Contains($"block {damaged.Height}", message);
        Assert.Contains("transaction 1", message);
        Assert.Contains(nameof(Chain.Validation.RejectionReason.BadSignature), message);
    }

    [Fact]
    public void A_forged_commit_of_a_block_verified_ahead_is_refused_as_the_sequential_replay_refuses_it()
    {
        using var f = new StoreFixture(intervals: 12);
        f.StoreBlocks();
        Block original = MiddleBlockWithReadings(f);
        byte[] commit = original.Commit.Encode();
        commit[^1] ^= 0x80;
        var damaged = new Block(original.Header, original.Body, BlockCommits.Decode(commit, "commit"));
        f.StoreInstead(damaged);

        string message = OpenFails(f);
        Assert.Equal(f.SequentialVerdict(damaged), message);
        Assert.Contains($"is not a precommit of height {damaged.Height}", message);
    }

    [Fact]
    public void Damage_further_on_that_the_reading_ahead_meets_first_does_not_overtake_the_first_bad_block()
    {
        using var f = new StoreFixture(intervals: 12);
        f.StoreBlocks();
        Block damaged = WithBadTransactionSignature(f, MiddleBlockWithReadings(f), 0);
        f.StoreInstead(damaged);
        // Read before the replay reaches the bad block: a row that does not decode, then a gap in the heights.
        f.Tamper("UPDATE blocks SET header = x'ff00' WHERE height = $h", ("$h", damaged.Height + 1));
        f.Tamper("DELETE FROM blocks WHERE height = $h", ("$h", damaged.Height + 3));

        Assert.Equal(f.SequentialVerdict(damaged), OpenFails(f));
    }

    [Theory]
    [InlineData(1)] // the replay thread decodes blocks further ahead while the one worker holds the next
    [InlineData(2)]
    public void Blocks_come_out_in_order_with_their_transactions_decoded_and_verified_and_a_failure_only_in_its_turn(int workers)
    {
        using var f = new StoreFixture(intervals: 6);
        using Ed25519Signer meter = Ed25519Signer.Generate();
        List<Block> blocks = f.Community.Blocks.Select(b => new Block(b.Header, b.Body with
        {
            Transactions = Enumerable.Range(0, 3).Select(i => SignedReadingCodec.Create(
                new MeterReading(TestCommunity.ChainId, "m1", b.Height * 10 + i, TestCommunity.T0, 900, i, 0, 0, "fw-1"), meter)).ToList(),
        }, b.Commit)).ToList();
        // One reading whose signature does not verify: decoded all the same, marked invalid, for the rules to refuse.
        int forgedBlock = 1;
        blocks[forgedBlock].Body.Transactions[2][^1] ^= 0x01;
        int failAt = blocks.Count - 2;
        IEnumerable<Block> Source()
        {
            for (int i = 0; i < blocks.Count; i++)
            {
                if (i == failAt) throw new ChainStoreException("the row at this position is damaged");
                yield return blocks[i];
            }
        }

        var received = new List<long>();
        var e = Assert.Throws<ChainStoreException>(() =>
        {
            foreach (DecodedBlock decoded in SignaturesAhead.Verified(Source(), workers))
            {
                received.Add(decoded.Block.Height);
                Assert.Equal(decoded.Block.Body.Transactions.Count, decoded.Transactions.Count);
                for (int i = 0; i < decoded.Transactions.Count; i++)
                {
                    Transaction tx = decoded.Transactions[i] ?? throw new InvalidOperationException($"block {decoded.Block.Height}: transaction {i} was not decoded ahead");
                    // The very bytes of the body, so the replay may use the decoded transaction in their place.
                    Assert.Same(decoded.Block.Body.Transactions[i], tx.Bytes);
                    Assert.Equal(!(decoded.Block == blocks[forgedBlock] && i == 2), tx.SignatureValid);
                }
            }
        });
        Assert.Equal("the row at this position is damaged", e.Message);
        Assert.Equal(blocks.Take(failAt).Select(b => b.Height), received);
        Assert.True(blocks.Take(failAt).Sum(b => b.Body.Transactions.Count) > 5, "the blocks before the failure should carry transactions");
    }
}
