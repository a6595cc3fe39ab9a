using System;
using System.Collections.Generic;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Tests.Queue;

public class QueueDeliveryTests
{
    [Fact]
    public void NewQueueIsEmpty()
    {
        var store = new MemoryFileStore();
        ReadingQueue queue = QueueKit.Open(store);
        Assert.Equal(0, queue.Count);
        Assert.Null(queue.Peek());
        Assert.Equal(0, queue.HighestSequence);
        Assert.Equal(0, queue.LastAcknowledged);
        Assert.Equal(0, queue.DamageCount);
        Assert.Equal(1, QueueKit.LogFileCount(store));
    }

    [Fact]
    public void DeliversInSequenceOrderUntilAcknowledged()
    {
        ReadingQueue queue = QueueKit.Open(new MemoryFileStore());
        QueueKit.AppendRange(queue, 1, 3);
        Assert.Equal(1, queue.Peek()!.Sequence);
        Assert.Equal(1, queue.Peek()!.Sequence);
        Assert.True(queue.Acknowledge(1));
        Assert.Equal(2, queue.Peek()!.Sequence);
        Assert.Equal(new List<long> { 2, 3 }, QueueKit.Pending(queue));
        Assert.Equal(1, queue.LastAcknowledged);
    }

    [Fact]
    public void AcknowledgingReleasesEverythingUpToTheSequence()
    {
        ReadingQueue queue = QueueKit.Open(new MemoryFileStore());
        QueueKit.AppendRange(queue, 1, 5);
        Assert.True(queue.Acknowledge(3));
        Assert.Equal(new List<long> { 4, 5 }, QueueKit.Pending(queue));
        Assert.Equal(3, queue.ReleasedThrough);
    }

    [Fact]
    public void OldRepeatedAndFutureAcknowledgementsChangeNothing()
    {
        ReadingQueue queue = QueueKit.Open(new MemoryFileStore());
        QueueKit.AppendRange(queue, 1, 3);
        Assert.True(queue.Acknowledge(2));
        Assert.False(queue.Acknowledge(2));
        Assert.False(queue.Acknowledge(1));
        Assert.False(queue.Acknowledge(0));
        Assert.False(queue.Acknowledge(-5));
        Assert.False(queue.Acknowledge(4));
        Assert.False(queue.Acknowledge(long.MaxValue));
        Assert.Equal(new List<long> { 3 }, QueueKit.Pending(queue));
        Assert.Equal(2, queue.LastAcknowledged);
    }

    [Fact]
    public void AGapInSequencesIsFineAndAnAckInsideItIsCumulative()
    {
        ReadingQueue queue = QueueKit.Open(new MemoryFileStore());
        queue.Append(3, QueueKit.PayloadFor(3));
        queue.Append(7, QueueKit.PayloadFor(7));
        Assert.True(queue.Acknowledge(5));
        Assert.Equal(new List<long> { 7 }, QueueKit.Pending(queue));
    }

    [Fact]
    public void RejectsReorderingReuseAndOversizePayloads()
    {
        ReadingQueue queue = QueueKit.Open(new MemoryFileStore());
        QueueKit.AppendRange(queue, 1, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Append(2, QueueKit.PayloadFor(2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Append(1, QueueKit.PayloadFor(1)));
        Assert.Throws<ArgumentException>(() => queue.Append(3, new byte[513]));
        queue.Append(3, new byte[512]);
    }

    [Fact]
    public void RestartKeepsWaitingReadingsAndNeverOffersAnAcknowledgedOne()
    {
        var store = new MemoryFileStore();
        ReadingQueue queue = QueueKit.Open(store);
        QueueKit.AppendRange(queue, 1, 5);
        queue.Acknowledge(2);

        ReadingQueue restarted = QueueKit.Open(store);
        Assert.Equal(new List<long> { 3, 4, 5 }, QueueKit.Pending(restarted));
        Assert.Equal(2, restarted.LastAcknowledged);
        Assert.Equal(5, restarted.HighestSequence);
        Assert.Equal(0, restarted.DamageCount);
    }

    [Fact]
    public void AnAcknowledgementIsDurableTheMomentItReturns()
    {
        var store = new MemoryFileStore();
        ReadingQueue queue = QueueKit.Open(store);
        QueueKit.AppendRange(queue, 1, 3);
        queue.Acknowledge(1);
        store.FailAfter(0);
        Assert.Throws<SimulatedPowerLossException>(() => queue.Append(4, QueueKit.PayloadFor(4)));
        store.PowerOn();
        Assert.Equal(new List<long> { 2, 3 }, QueueKit.Pending(QueueKit.Open(store)));
    }

    [Fact]
    public void HighestSequenceSurvivesEvenWhenEverythingWasAcknowledgedAndCompacted()
    {
        var store = new MemoryFileStore();
        ReadingQueue queue = QueueKit.Open(store);
        QueueKit.AppendRange(queue, 1, 3);
        queue.Acknowledge(3);
        queue.Compact();

        ReadingQueue restarted = QueueKit.Open(store);
        Assert.Equal(0, restarted.Count);
        Assert.Equal(3, restarted.HighestSequence);
        Assert.Throws<ArgumentOutOfRangeException>(() => restarted.Append(3, QueueKit.PayloadFor(3)));
    }

    [Fact]
    public void UseBeforeOpenIsAnError()
    {
        var queue = new ReadingQueue(new MemoryFileStore(), new QueueOptions());
        Assert.Throws<InvalidOperationException>(() => queue.Peek());
        Assert.Throws<InvalidOperationException>(() => queue.Append(1, new byte[1]));
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadingQueue(new MemoryFileStore(), new QueueOptions { Capacity = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadingQueue(new MemoryFileStore(), new QueueOptions { MaxPayloadBytes = 70000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadingQueue(new MemoryFileStore(), new QueueOptions { CompactAfterReleased = 0 }));
        Assert.Throws<ArgumentException>(() => new ReadingQueue(new MemoryFileStore(), new QueueOptions { Name = "" }));
    }
}
