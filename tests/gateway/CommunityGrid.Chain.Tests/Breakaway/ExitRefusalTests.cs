using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Breakaway;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;

namespace CommunityGrid.Chain.Tests.Breakaway;

public sealed class ExitRefusalTests
{
    [Fact]
    public void An_exit_signed_by_a_non_member_is_unauthorized()
    {
        using var c = new TestCommunity().WithMeters();
        Assert.Equal(RejectionReason.Unauthorized, c.Try(c.ExitBy(c.Key(70), 2), TestCommunity.At(10)).Reason);
        Assert.Equal(RejectionReason.Unauthorized, c.Try(c.ExitBy(c.Treasurer, 2), TestCommunity.At(10)).Reason);
    }

    [Fact]
    public void A_house_exits_once()
    {
        using var c = new TestCommunity().WithMeters();
        c.Produce(TestCommunity.At(10), c.ExitTx(3, 2));
        TxOutcome twice = c.Try(c.ExitTx(3, 3, "other-grid"), TestCommunity.At(11));
        Assert.Equal(RejectionReason.AlreadyExited, twice.Reason);
        c.Produce(TestCommunity.CloseOf(1));
        // Once final the house is no longer a member: its key signs nothing here any more.
        Assert.Equal(RejectionReason.Unauthorized, c.Try(c.ExitTx(3, 4), TestCommunity.CloseOf(1) + 1).Reason);
    }

    [Fact]
    public void An_exit_back_dated_into_a_closed_or_the_open_interval_is_refused()
    {
        using var c = new TestCommunity().WithMeters();
        c.Produce(TestCommunity.CloseOf(1));
        // Intervals 0 and 1 have closed, interval 2 is open: the earliest exit is from interval 3.
        TxOutcome closed = c.Try(c.ExitTx(1, 1), TestCommunity.CloseOf(1) + 1);
        Assert.Equal(RejectionReason.ExitBackdated, closed.Reason);
        Assert.Contains("closed", closed.Detail);
        Assert.Equal(RejectionReason.ExitBackdated, c.Try(c.ExitTx(1, 2), TestCommunity.CloseOf(1) + 1).Reason);
        Assert.Equal(TxStatus.Applied, c.Try(c.ExitTx(1, 3), TestCommunity.CloseOf(1) + 1).Status);
    }

    [Fact]
    public void An_exit_from_an_interval_its_meters_already_reported_is_refused()
    {
        using var c = new TestCommunity().WithMeters();
        // One block near the end of interval 1 takes m2's reading for interval 1 (within the future tolerance) before it
        // closes interval 0: an exit from interval 1 after that reading would count the reading's energy on both chains.
        Produced produced = BlockProducer.Produce(c.State, [c.ReadingTx("m2", 1, 1, 500, 0), c.ExitTx(2, 1)], TestCommunity.EndOf(1) - 30_000, c.Validator);
        Assert.Equal(TxStatus.Applied, produced.Outcomes[0].Outcome.Status);
        TxOutcome outcome = produced.Outcomes[1].Outcome;
        Assert.Equal(RejectionReason.ExitBackdated, outcome.Reason);
        Assert.Contains("pending", outcome.Detail);
    }

    [Fact]
    public void The_new_community_must_be_named_validly_and_the_interval_aligned()
    {
        using var c = new TestCommunity().WithMeters();
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.ExitTx(1, 2, TestCommunity.ChainId), TestCommunity.At(10)).Reason);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.ExitTx(1, 2, "New Grid"), TestCommunity.At(10)).Reason);
        byte[] unaligned = TestCommunity.Sign(new ExitPayload(TestCommunity.ChainId, c.NextNonce(c.Members[0]), ExitSigning.NewChain, TestCommunity.IntervalStart(2) + 1), c.Members[0]);
        Assert.Equal(RejectionReason.InvalidField, c.Try(unaligned, TestCommunity.At(10)).Reason);
    }

    [Fact]
    public void An_exit_for_another_chain_or_with_a_used_nonce_is_refused()
    {
        using var c = new TestCommunity().WithMeters();
        byte[] other = TestCommunity.Sign(new ExitPayload("other-chain", 1, ExitSigning.NewChain, TestCommunity.IntervalStart(2)), c.Members[0]);
        Assert.Equal(RejectionReason.WrongChain, c.Try(other, TestCommunity.At(10)).Reason);
        c.Produce(TestCommunity.At(10), c.ExitTx(1, 2));
        byte[] replay = TestCommunity.Sign(new ExitPayload(TestCommunity.ChainId, 1, ExitSigning.NewChain, TestCommunity.IntervalStart(3)), c.Members[1]);
        c.Produce(TestCommunity.At(11), replay);
        Assert.Equal(RejectionReason.ReplayedNonce, c.Try(replay, TestCommunity.At(12)).Reason);
    }
}
