using System;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Tests.Intervals;

public class SequenceStoreTests
{
    [Fact]
    public void NewStoreStartsBeforeOne()
    {
        var sequences = new SequenceStore(new MemoryFileStore());
        sequences.Load();
        Assert.Equal(0, sequences.LastSequence);
        Assert.Equal(-1, sequences.LastIntervalStart);
    }

    [Fact]
    public void CommittedPairSurvivesReload()
    {
        var store = new MemoryFileStore();
        var sequences = new SequenceStore(store);
        sequences.Commit(1, 900);
        sequences.Commit(2, 1800);
        var reloaded = new SequenceStore(store);
        reloaded.Load();
        Assert.Equal(2, reloaded.LastSequence);
        Assert.Equal(1800, reloaded.LastIntervalStart);
    }

    [Fact]
    public void RefusesToGoBackwards()
    {
        var store = new MemoryFileStore();
        new SequenceStore(store).Commit(5, 0);
        var reloaded = new SequenceStore(store);
        Assert.Throws<ArgumentOutOfRangeException>(() => reloaded.Commit(5, 900));
    }

    [Fact]
    public void BothSlotsCorruptRestartsFromTheCallersFloor()
    {
        // The recorder takes max(persisted, queue's newest): losing both slots then costs no repeat while the queue holds any record.
        var store = new MemoryFileStore();
        var sequences = new SequenceStore(store);
        sequences.Commit(1, 0);
        sequences.Commit(2, 900);
        store.CorruptByte("seq.0", 20);
        store.CorruptByte("seq.1", 20);
        var reloaded = new SequenceStore(store);
        reloaded.Load();
        Assert.Equal(0, reloaded.LastSequence);
        Assert.NotNull(reloaded.Problem);
    }
}
