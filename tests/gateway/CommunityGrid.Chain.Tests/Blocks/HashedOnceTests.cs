using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.Tests.Support;

namespace CommunityGrid.Chain.Tests.Blocks;

/// <summary>
/// Applying a block hashes its header once (commit check and tip hash) and encodes its recorded settlements once (their
/// root and the comparison with the recomputed ones; issue 18). Each test damages a block in the way the dropped
/// repetition would also have caught, and shows it is still refused with the state untouched.
/// </summary>
public sealed class HashedOnceTests
{
    private static void AssertRejected(TestCommunity c, Block block, string expected)
    {
        byte[] root = c.State.StateRoot;
        byte[] tip = c.State.TipHash;
        long height = c.State.Height;
        var e = Assert.Throws<BlockVerificationException>(() => c.State.ApplyBlock(block));
        Assert.Contains(expected, e.Message);
        Assert.Equal(root, c.State.StateRoot);
        Assert.Equal(tip, c.State.TipHash);
        Assert.Equal(height, c.State.Height);
    }

    [Fact]
    public void A_header_altered_in_place_after_it_was_hashed_is_refused()
    {
        using var c = new TestCommunity().WithMeters();
        Block produced = BlockProducer.Produce(c.State, [c.ReadingTx("m1", 1, 0, 10, 0)], TestCommunity.EndOf(0), c.Validator).Block!;
        // A header of its own (same values, so the commit still fits), hashed first as a cache would, then altered in place.
        Block block = produced with { Header = produced.Header with { StateRoot = (byte[])produced.Header.StateRoot.Clone() } };
        byte[] hashBefore = block.Header.Hash();
        block.Header.StateRoot[0] ^= 0x01;
        Assert.NotEqual(hashBefore, block.Header.Hash());
        AssertRejected(c, block, "not for this header");
    }

    [Fact]
    public void The_tip_hash_is_the_hash_of_the_header_as_applied_and_the_next_block_links_to_it()
    {
        using var c = new TestCommunity().WithMeters();
        long height = c.State.Height;
        Block first = BlockProducer.Produce(c.State, [c.ReadingTx("m1", 1, 0, 10, 0)], TestCommunity.EndOf(0), c.Validator).Block!;
        c.State.ApplyBlock(first);
        Assert.Equal(first.Header.Hash(), c.State.TipHash);
        Block second = BlockProducer.Produce(c.State, [c.ReadingTx("m1", 2, 1, 20, 0)], TestCommunity.EndOf(1), c.Validator).Block!;
        Assert.Equal(first.Header.Hash(), second.Header.PreviousHash);
        c.State.ApplyBlock(second);
        Assert.Equal(height + 2, c.State.Height);
        Assert.Equal(second.Header.Hash(), c.State.TipHash);
    }

    /// <summary>A block that closes interval 0, on a state whose meter m1 reported energy in it.</summary>
    private static (TestCommunity Community, Block Closing) WithClosingBlock()
    {
        var c = new TestCommunity().WithMeters();
        c.State.ApplyBlock(BlockProducer.Produce(c.State, [c.ReadingTx("m1", 1, 0, 10, 0)], TestCommunity.EndOf(0), c.Validator).Block!);
        Block closing = BlockProducer.Produce(c.State, [], TestCommunity.CloseOf(0), c.Validator).Block!;
        Assert.Single(closing.Body.Settlements);
        return (c, closing);
    }

    [Fact]
    public void A_recorded_settlement_off_by_one_minor_unit_under_a_matching_root_is_refused()
    {
        (TestCommunity c, Block closing) = WithClosingBlock();
        using (c)
        {
            SettlementResult genuine = closing.Body.Settlements[0];
            SettlementResult moved = genuine with { GridCost = genuine.GridCost + 1 };
            // Forged with the settlement root of the altered body, so only the comparison with the recomputed one can catch it.
            Block forged = BlockForge.Build(c, closing.Header.TimeMs, [], [moved], closing.Header.StateRoot);
            Assert.Equal(forged.Header.SettlementRoot, forged.Body.SettlementRoot());
            AssertRejected(c, forged, $"settlement of interval {genuine.IntervalStart} differs from the recomputed one");
        }
    }

    [Fact]
    public void A_recorded_settlement_that_does_not_hash_to_the_header_root_is_refused()
    {
        (TestCommunity c, Block closing) = WithClosingBlock();
        using (c)
        {
            SettlementResult genuine = closing.Body.Settlements[0];
            // The header and its commit stay as signed; only the body's settlement changes.
            BlockBody altered = closing.Body with { Settlements = [genuine with { FundIncome = genuine.FundIncome + 1 }] };
            AssertRejected(c, closing with { Body = altered }, "settlement root does not match the body");
        }
    }

    [Fact]
    public void The_recorded_settlements_root_is_the_root_over_their_encodings()
    {
        (TestCommunity c, Block closing) = WithClosingBlock();
        using (c)
        {
            byte[][] encoded = closing.Body.EncodedSettlements();
            Assert.Equal(closing.Body.Settlements[0].Encode(), encoded[0]);
            Assert.Equal(closing.Header.SettlementRoot, BlockBody.SettlementRootOf(encoded));
            c.State.ApplyBlock(closing);
        }
    }
}
