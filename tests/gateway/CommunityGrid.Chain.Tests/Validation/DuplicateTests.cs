using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.State;
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
    public void An_accepted_reading_changes_only_its_meter_and_the_pending_energy_in_the_state()
    {
        using var c = new TestCommunity().WithMeters();
        Block block = BlockProducer.Produce(c.State, [c.ReadingTx("m1", 1, 0, 100, 0)], TestCommunity.EndOf(0), c.Validator).Block!;

        PreparedBlock prepared = c.State.Prepare(block);

        // chain.md §3: no per-reading duplicate-detection entry (recent/, state format before schema 3) in the state.
        Assert.Equal([StateKeys.Meter("m1"), StateKeys.Pending(TestCommunity.IntervalStart(0), "h1")], prepared.Changes.Select(ch => ch.Key).Order().ToArray());
    }

    [Fact]
    public void A_resend_is_told_from_a_replayed_sequence_by_the_committed_readings_not_by_the_state()
    {
        using var c = new TestCommunity().WithMeters();
        byte[] reading = c.ReadingTx("m1", 1, 0, 100, 0);
        c.Produce(TestCommunity.EndOf(0), reading);

        c.State.CommittedReadings = null;
        TxOutcome withoutHistory = c.Try(reading, TestCommunity.EndOf(0) + 5);
        c.State.CommittedReadings = c.Committed;

        Assert.Equal(RejectionReason.ReplayedSequence, withoutHistory.Reason);
        Assert.Equal(TxStatus.AlreadyApplied, c.Try(reading, TestCommunity.EndOf(0) + 5).Status);
        Assert.Equal(RejectionReason.ReplayedSequence, c.Try(c.ReadingTx("m1", 1, 0, 101, 0), TestCommunity.EndOf(0) + 5).Reason);
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
