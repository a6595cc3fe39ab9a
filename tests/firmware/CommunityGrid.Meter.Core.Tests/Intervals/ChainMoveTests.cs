using System;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Tests.Intervals;

/// <summary>A meter that follows its house to a new chain signs each interval for exactly one chain.</summary>
public class ChainMoveTests
{
    private const long Midnight = 1709251200;
    private const int Length = 900;

    private static IntervalRecorder Recorder()
    {
        var store = new MemoryFileStore();
        var queue = new ReadingQueue(store, new QueueOptions());
        queue.Open();
        var recorder = new IntervalRecorder(new ReadingBuilder("old-grid", "house-7", Length, "1.0.0"), new SequenceStore(store), TestSigner.Create(), queue);
        recorder.Start();
        return recorder;
    }

    [Fact]
    public void Intervals_before_the_move_name_the_old_chain_and_from_it_the_new_one_with_sequences_going_on()
    {
        IntervalRecorder recorder = Recorder();
        recorder.Poll(Midnight + 1, 0, 0, 0);
        recorder.MoveChain("new-grid", Midnight + 2 * Length);
        SignedInterval first = recorder.Poll(Midnight + Length, 10, 0, 0)!;
        SignedInterval second = recorder.Poll(Midnight + 2 * Length, 20, 0, 0)!;
        SignedInterval third = recorder.Poll(Midnight + 3 * Length, 30, 0, 0)!;
        Assert.Equal(("old-grid", "old-grid", "new-grid"), (first.Reading.ChainId, second.Reading.ChainId, third.Reading.ChainId));
        Assert.Equal((1L, 2L, 3L), (first.Sequence, second.Sequence, third.Sequence));
        Assert.Equal("new-grid", TestSigner.Open(third.Signed).ChainId);
    }

    [Fact]
    public void A_move_into_an_interval_already_reported_or_a_second_move_is_refused()
    {
        IntervalRecorder recorder = Recorder();
        recorder.Poll(Midnight + 1, 0, 0, 0);
        recorder.Poll(Midnight + Length, 10, 0, 0);
        Assert.Throws<InvalidOperationException>(() => recorder.MoveChain("new-grid", Midnight));
        Assert.Throws<ArgumentException>(() => recorder.MoveChain("new-grid", Midnight + Length + 1));
        Assert.Throws<ArgumentException>(() => recorder.MoveChain("old-grid", Midnight + Length));
        recorder.MoveChain("new-grid", Midnight + Length);
        Assert.Throws<InvalidOperationException>(() => recorder.MoveChain("third-grid", Midnight + 2 * Length));
        Assert.Equal("new-grid", recorder.Poll(Midnight + 2 * Length, 20, 0, 0)!.Reading.ChainId);
    }
}

/// <summary>A move kept in the meter's storage survives a restart.</summary>
public class ChainMovePersistenceTests
{
    private const long Midnight = 1709251200;
    private const int Length = 900;

    private static IntervalRecorder Boot(MemoryFileStore store)
    {
        var queue = new ReadingQueue(store, new QueueOptions());
        queue.Open();
        var recorder = new IntervalRecorder(new ReadingBuilder("old-grid", "house-7", Length, "1.0.0"), new SequenceStore(store), TestSigner.Create(), queue,
            new ChainMoveStore(store));
        recorder.Start();
        return recorder;
    }

    [Fact]
    public void After_a_restart_the_meter_still_signs_the_new_chains_intervals_for_it()
    {
        var store = new MemoryFileStore();
        IntervalRecorder before = Boot(store);
        before.Poll(Midnight + 1, 0, 0, 0);
        before.MoveChain("new-grid", Midnight + Length);
        Assert.Equal("old-grid", before.Poll(Midnight + Length, 10, 0, 0)!.Reading.ChainId);

        IntervalRecorder after = Boot(store);
        after.Poll(Midnight + Length + 1, 10, 0, 0);
        SignedInterval next = after.Poll(Midnight + 2 * Length, 20, 0, 0)!;
        Assert.Equal(("new-grid", 2L), (next.Reading.ChainId, next.Sequence));
        Assert.Throws<InvalidOperationException>(() => after.MoveChain("third-grid", Midnight + 3 * Length));
    }

    [Fact]
    public void A_refused_move_is_not_persisted()
    {
        var store = new MemoryFileStore();
        IntervalRecorder before = Boot(store);
        before.Poll(Midnight + 1, 0, 0, 0);
        Assert.Throws<ArgumentException>(() => before.MoveChain("old-grid", Midnight + Length));
        var moves = new ChainMoveStore(store);
        moves.Load();
        Assert.Null(moves.NewChainId);
        IntervalRecorder after = Boot(store);
        after.Poll(Midnight + Length + 1, 0, 0, 0);
        Assert.Equal("old-grid", after.Poll(Midnight + 2 * Length, 5, 0, 0)!.Reading.ChainId);
    }
}
