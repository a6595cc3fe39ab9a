using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Tests.Queue;

/// <summary>
/// The full policy: the oldest waiting reading makes room and is counted. Registers are cumulative, so the
/// newer readings still carry all the energy; only the interval-by-interval split is lost.
/// </summary>
public class QueueCapacityTests
{
    [Fact]
    public void AFullQueueDropsTheOldestWaitingReadingAndCountsIt()
    {
        var store = new MemoryFileStore();
        ReadingQueue queue = QueueKit.Open(store, capacity: 3);
        var dropped = new List<long>();
        for (long s = 1; s <= 5; s++) dropped.Add(queue.Append(s, QueueKit.PayloadFor(s)));

        Assert.Equal(new List<long> { 0, 0, 0, 1, 2 }, dropped);
        Assert.Equal(QueueKit.Range(3, 5), QueueKit.Pending(queue));
        Assert.Equal(2, queue.DroppedCount);
        Assert.Equal(2, queue.ReleasedThrough);
        Assert.Equal(0, queue.LastAcknowledged);
    }

    [Fact]
    public void DropsAreDurableAndAnAckForADroppedReadingIsHarmless()
    {
        var store = new MemoryFileStore();
        ReadingQueue queue = QueueKit.Open(store, capacity: 3);
        QueueKit.AppendRange(queue, 1, 5);

        ReadingQueue restarted = QueueKit.Open(store, capacity: 3);
        Assert.Equal(QueueKit.Range(3, 5), QueueKit.Pending(restarted));
        Assert.Equal(2, restarted.DroppedCount);
        Assert.False(restarted.Acknowledge(1));
        Assert.True(restarted.Acknowledge(3));
        Assert.Equal(2, restarted.DroppedCount);
        Assert.Equal(3, restarted.LastAcknowledged);
    }

    [Fact]
    public void OpeningWithASmallerCapacityDropsTheOldest()
    {
        var store = new MemoryFileStore();
        QueueKit.AppendRange(QueueKit.Open(store, capacity: 10), 1, 6);
        ReadingQueue smaller = QueueKit.Open(store, capacity: 4);
        Assert.Equal(QueueKit.Range(3, 6), QueueKit.Pending(smaller));
        Assert.Equal(2, smaller.DroppedCount);
    }

    [Fact]
    public void PowerCutAtEveryUnitOfAnAppendToAFullQueueNeverReordersOrLosesMoreThanTheOldest()
    {
        var baseline = new MemoryFileStore();
        QueueKit.AppendRange(QueueKit.Open(baseline, capacity: 3), 1, 3);
        for (int budget = 0; ; budget++)
        {
            MemoryFileStore store = baseline.Clone();
            ReadingQueue queue = QueueKit.Open(store, capacity: 3);
            store.FailAfter(budget);
            bool finished = true;
            try
            {
                queue.Append(4, QueueKit.PayloadFor(4));
            }
            catch (SimulatedPowerLossException)
            {
                finished = false;
            }
            store.PowerOn();
            ReadingQueue restarted = QueueKit.Open(store, capacity: 3);
            List<long> pending = QueueKit.Pending(restarted);
            if (finished)
            {
                Assert.Equal(QueueKit.Range(2, 4), pending);
                break;
            }
            // Before the drop, after the drop, or (the record landed, the call did not return) after both.
            Assert.True(pending.SequenceEqual(QueueKit.Range(1, 3)) || pending.SequenceEqual(QueueKit.Range(2, 3))
                || pending.SequenceEqual(QueueKit.Range(2, 4)), string.Join(",", pending));
            Assert.Equal(pending[0] == 1 ? 0 : 1, restarted.DroppedCount);
        }
    }
}
