using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Validation;

namespace CommunityGrid.Chain.Tests.Validation;

public sealed class DuplicateTests
{
    [Fact]
    public void Resent_reading_is_acknowledged_again_and_changes_nothing()
    {
        using var c = new TestCommunity().WithMeters();
        byte[] reading = c.ReadingTx("m1", 1, 0, 100, 0);
        c.Produce(TestCommunity.EndOf(0), reading);
        byte[] root = c.State.StateRoot;

        Produced again = BlockProducer.Produce(c.State, [reading], TestCommunity.EndOf(0) + 5, c.Validator);

        Assert.Equal(TxStatus.AlreadyApplied, Assert.Single(again.Outcomes).Outcome.Status);
        Assert.Null(again.Block);
        Assert.Equal(root, c.State.StateRoot);
    }

    [Fact]
    public void An_older_reading_resent_after_newer_ones_is_still_a_duplicate()
    {
        using var c = new TestCommunity().WithMeters();
        byte[] first = c.ReadingTx("m1", 1, 0, 100, 0);
        c.Produce(TestCommunity.EndOf(0), first);
        c.Produce(TestCommunity.EndOf(1), c.ReadingTx("m1", 2, 1, 150, 0));

        Assert.Equal(TxStatus.AlreadyApplied, c.Try(first, TestCommunity.EndOf(1) + 5).Status);
    }

    [Fact]
    public void The_same_reading_twice_in_one_mempool_goes_into_the_block_once()
    {
        using var c = new TestCommunity().WithMeters();
        byte[] reading = c.ReadingTx("m1", 1, 0, 100, 0);

        Produced produced = BlockProducer.Produce(c.State, [reading, reading], TestCommunity.EndOf(0), c.Validator);

        Assert.Equal(TxStatus.Applied, produced.Outcomes[0].Outcome.Status);
        Assert.Equal(TxStatus.AlreadyApplied, produced.Outcomes[1].Outcome.Status);
        Assert.Single(produced.Block!.Body.Transactions);
    }

    [Fact]
    public void A_block_that_contains_a_transaction_twice_does_not_verify()
    {
        using var c = new TestCommunity().WithMeters();
        byte[] reading = c.ReadingTx("m1", 1, 0, 100, 0);
        Block forged = BlockForge.Build(c, TestCommunity.EndOf(0), [reading, reading]);

        var e = Assert.Throws<BlockVerificationException>(() => c.State.ApplyBlock(forged));
        Assert.Contains("transaction 1", e.Message);
    }
}
