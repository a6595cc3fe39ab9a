using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Chain.Tests.Validation;

/// <summary>
/// Each rejection reason on its own: m1 has accepted reading #1 for interval 0 (registers 1000/500/700), which has closed; a bad
/// candidate is proposed next to a good one, and must be skipped with its reason while the good one applies
/// and the state changes exactly as if the bad one had never been sent.
/// </summary>
public sealed class ReadingRejectionTests : System.IDisposable
{
    private readonly TestCommunity c = new TestCommunity().WithMeters();
    private readonly long time = TestCommunity.EndOf(1);

    public ReadingRejectionTests() => History(c);

    /// <summary>m1's first reading, then interval 0 closes, so at <see cref="time"/> no interval is due.</summary>
    private static void History(TestCommunity community)
    {
        community.Produce(TestCommunity.EndOf(0), community.ReadingTx("m1", 1, 0, 1000, 500, 700));
        community.Produce(TestCommunity.CloseOf(0));
    }

    public void Dispose() => c.Dispose();

    private void AssertRejectedAlone(byte[] bad, RejectionReason reason)
    {
        byte[] good = c.ReadingTx("m2", 1, 1, 10, 20);
        using var control = new TestCommunity().WithMeters();
        History(control);
        Block expected = control.Produce(time, control.ReadingTx("m2", 1, 1, 10, 20));

        Produced produced = BlockProducer.Produce(c.State, [bad, good], time, c.Validator);

        Assert.Equal(2, produced.Outcomes.Count);
        Assert.Equal(TxStatus.Rejected, produced.Outcomes[0].Outcome.Status);
        Assert.Equal(reason, produced.Outcomes[0].Outcome.Reason);
        Assert.Equal(TxStatus.Applied, produced.Outcomes[1].Outcome.Status);
        Assert.Single(produced.Block!.Body.Transactions);
        Assert.Equal(Hashes.Hex(expected.Header.StateRoot), Hashes.Hex(produced.Block.Header.StateRoot));

        byte[] rootBefore = c.State.StateRoot;
        Assert.Null(BlockProducer.Produce(c.State, [bad], time, c.Validator).Block);
        Assert.Equal(rootBefore, c.State.StateRoot);
    }

    [Fact]
    public void Bad_signature()
    {
        byte[] tx = c.ReadingTx("m1", 2, 1, 1100, 500, 700);
        tx[^1] ^= 0x01;
        AssertRejectedAlone(tx, RejectionReason.BadSignature);
    }

    [Fact]
    public void Unknown_meter()
    {
        using Ed25519Signer stranger = Ed25519Signer.Generate();
        AssertRejectedAlone(c.ReadingTx("m9", 1, 1, 1, 1, signer: stranger), RejectionReason.UnknownMeter);
    }

    [Fact]
    public void Kid_not_the_enrolled_key()
    {
        using Ed25519Signer impostor = Ed25519Signer.Generate();
        AssertRejectedAlone(c.ReadingTx("m1", 2, 1, 1100, 500, 700, signer: impostor), RejectionReason.WrongMeterKey);
    }

    [Fact]
    public void Replayed_sequence_with_different_bytes()
    {
        AssertRejectedAlone(c.ReadingTx("m1", 1, 1, 1100, 500, 700), RejectionReason.ReplayedSequence);
    }

    [Fact]
    public void Decreasing_register()
    {
        AssertRejectedAlone(c.ReadingTx("m1", 2, 1, 999, 500, 700), RejectionReason.DecreasingRegister);
        AssertRejectedAlone(c.ReadingTx("m1", 2, 1, 1000, 499, 700), RejectionReason.DecreasingRegister);
        AssertRejectedAlone(c.ReadingTx("m1", 2, 1, 1000, 500, 699), RejectionReason.DecreasingRegister);
    }

    [Fact]
    public void Future_interval_beyond_tolerance()
    {
        // Interval 3 ends 2 intervals after the block time; tolerance is 60 s.
        AssertRejectedAlone(c.ReadingTx("m1", 2, 3, 1100, 500, 700), RejectionReason.FutureInterval);
    }

    [Fact]
    public void Interval_ending_within_the_future_tolerance_is_accepted()
    {
        // Interval 2 ends 899 s after the block time: too far. At 59 s before its end it is fine.
        long nearEnd = TestCommunity.At(3 * TestCommunity.Interval) - 59_000;
        Assert.Equal(TxStatus.Applied, c.Try(c.ReadingTx("m1", 2, 2, 1100, 500, 700), nearEnd).Status);
    }

    [Fact]
    public void Stale_interval_older_than_retention()
    {
        // m2 has no readings yet, so only the retention window (one day) can reject it.
        long dayLater = TestCommunity.At(86400 + 2 * TestCommunity.Interval);
        Assert.Equal(RejectionReason.StaleInterval, c.Try(c.ReadingTx("m2", 1, 0, 5, 5), dayLater).Reason);
    }

    [Fact]
    public void Malformed_cbor()
    {
        AssertRejectedAlone([0xd2, 0x84, 0x40], RejectionReason.MalformedCbor);
        byte[] truncated = c.ReadingTx("m1", 2, 1, 1100, 500, 700)[..^3];
        AssertRejectedAlone(truncated, RejectionReason.MalformedCbor);
        AssertRejectedAlone([0x01, 0x02, 0x03], RejectionReason.MalformedCbor);
    }

    [Fact]
    public void Wrong_chain()
    {
        AssertRejectedAlone(c.ReadingTx("m1", 2, 1, 1100, 500, 700, chainId: "other-grid"), RejectionReason.WrongChain);
    }

    [Fact]
    public void Wrong_interval_length()
    {
        AssertRejectedAlone(c.ReadingTx("m1", 2, 3, 1100, 500, 700, intervalSeconds: 300), RejectionReason.WrongIntervalLength);
    }

    [Fact]
    public void Interval_before_the_last_accepted_one()
    {
        // Naming the same interval again would be fine; naming an earlier one is not.
        byte[] tx = c.ReadingTx("m1", 2, -1, 1100, 500, 700);
        Assert.Equal(RejectionReason.IntervalOutOfOrder, c.Try(tx, time).Reason);
    }
}
