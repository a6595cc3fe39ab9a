using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;

namespace CommunityGrid.Storage.Tests;

/// <summary>chain.md §4: resends of committed readings are found through the readings index, also after a restart.</summary>
public sealed class DuplicateReadingTests
{
    [Fact]
    public void After_reopening_a_resent_reading_is_a_duplicate_and_another_with_its_sequence_is_replayed()
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        Block last = f.Community.Blocks.Last(b => b.Body.Transactions.Count > 0);
        byte[] resent = last.Body.Transactions[0];
        var reading = Transaction.Decode(resent).Reading!;
        long interval = (reading.IntervalStart - Chain.Tests.Support.TestCommunity.IntervalStart(0)) / reading.IntervalLengthSeconds;
        byte[] other = f.Community.ReadingTx(reading.MeterId, reading.Sequence, interval, reading.ImportWh + 1, reading.ExportWh, reading.PvWh);

        using ChainStore reopened = f.Open();
        long time = reopened.State.TipTimeMs + 1;
        Proposal proposal = BlockProducer.Propose(reopened.State, [resent, other], time, f.Community.Validator.PublicKey);

        Assert.Equal(TxStatus.AlreadyApplied, proposal.Outcomes[0].Outcome.Status);
        Assert.Equal(RejectionReason.ReplayedSequence, proposal.Outcomes[1].Outcome.Reason);
        Assert.True(reopened.Holds(reading.MeterId, reading.Sequence, Transaction.Decode(resent).Id));
        Assert.False(reopened.Holds(reading.MeterId, reading.Sequence, Transaction.Decode(other).Id));
        Assert.False(reopened.Holds(reading.MeterId, reading.Sequence + 1000, Transaction.Decode(resent).Id));
    }
}
