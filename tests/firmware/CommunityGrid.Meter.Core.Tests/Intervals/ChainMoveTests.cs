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
