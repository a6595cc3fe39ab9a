using System.Collections.Generic;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Tests.Queue;

public class QueueCompactionTests
{
    [Fact]
    public void CompactionDropsReleasedRecordsSwitchesFileAndKeepsOrder()
    {
        var store = new MemoryFileStore();
        ReadingQueue queue = QueueKit.Open(store);
        QueueKit.AppendRange(queue, 1, 6);
        queue.Acknowledge(3);
        string before = queue.ActiveFileName;
        queue.Compact();

        Assert.NotEqual(before, queue.ActiveFileName);
        Assert.False(store.Exists(before));
        int expected = QueueKit.RecordSize(4) + QueueKit.RecordSize(5) + QueueKit.RecordSize(6) + QueueKit.SealSize;
        Assert.Equal(expected, store.Peek(queue.ActiveFileName)!.Length);
        Assert.Equal(QueueKit.Range(4, 6), QueueKit.Pending(QueueKit.Open(store)));
    }

    [Fact]
    public void PowerCutAtEveryUnitOfACompactionLosesNothingAndResendsNothingAcknowledged()
    {
        var baseline = new MemoryFileStore();
        ReadingQueue setup = QueueKit.Open(baseline);
        QueueKit.AppendRange(setup, 1, 6);
        setup.Acknowledge(3);

        int crashes = 0;
        for (int budget = 0; ; budget++)
        {
            MemoryFileStore store = baseline.Clone();
            ReadingQueue queue = QueueKit.Open(store);
            store.FailAfter(budget);
            bool finished = true;
            try
            {
                queue.Compact();
            }
            catch (SimulatedPowerLossException)
            {
                finished = false;
                crashes++;
            }
            store.PowerOn();

            ReadingQueue restarted = QueueKit.Open(store);
            Assert.Equal(QueueKit.Range(4, 6), QueueKit.Pending(restarted));
            Assert.Equal(3, restarted.LastAcknowledged);
            Assert.Equal(1, QueueKit.LogFileCount(store));
            ReadingQueue again = QueueKit.Open(store);
            Assert.Equal(0, again.DamageCount);
            Assert.Equal(QueueKit.Range(4, 6), QueueKit.Pending(again));
            again.Append(7, QueueKit.PayloadFor(7));
            Assert.Equal(QueueKit.Range(4, 7), QueueKit.Pending(QueueKit.Open(store)));
            if (finished) break;
        }
        // Truncate, every byte of three records and the seal, then the delete.
        Assert.True(crashes > 3 * QueueRecord.Overhead);
    }

    [Fact]
    public void PowerCutAtEveryUnitOfARecoveryRepairLosesNothing()
    {
        var baseline = new MemoryFileStore();
        ReadingQueue setup = QueueKit.Open(baseline);
        QueueKit.AppendRange(setup, 1, 5);
        string log = setup.ActiveFileName;
        baseline.Truncate(log, baseline.Peek(log)!.Length - 3);

        for (int budget = 0; ; budget++)
        {
            MemoryFileStore store = baseline.Clone();
            store.FailAfter(budget);
            bool finished = true;
            try
            {
                QueueKit.Open(store);
            }
            catch (SimulatedPowerLossException)
            {
                finished = false;
            }
            store.PowerOn();
            Assert.Equal(QueueKit.Range(1, 4), QueueKit.Pending(QueueKit.Open(store)));
            if (finished) break;
        }
    }

    [Fact]
    public void BothLogsPresentAfterACutBeforeTheDeleteAreMergedWithoutDuplicates()
    {
        var store = new MemoryFileStore();
        ReadingQueue queue = QueueKit.Open(store);
        QueueKit.AppendRange(queue, 1, 4);
        queue.Acknowledge(1);
        string old = queue.ActiveFileName;
        byte[] oldBytes = store.Peek(old)!;
        queue.Compact();
        queue.Append(5, QueueKit.PayloadFor(5));
        store.Put(old, oldBytes);

        ReadingQueue restarted = QueueKit.Open(store);
        Assert.Equal(QueueKit.Range(2, 5), QueueKit.Pending(restarted));
        Assert.Equal(1, QueueKit.LogFileCount(store));
    }

    [Fact]
    public void AutomaticCompactionKeepsTheLogBounded()
    {
        var store = new MemoryFileStore();
        ReadingQueue queue = QueueKit.Open(store, capacity: 8, compactAfterReleased: 4);
        int largest = 0;
        for (long s = 1; s <= 500; s++)
        {
            queue.Append(s, QueueKit.PayloadFor(s));
            if (s % 3 == 0) queue.Acknowledge(s - 1);
            largest = System.Math.Max(largest, store.Peek(queue.ActiveFileName)!.Length);
            Assert.Equal(1, QueueKit.LogFileCount(store));
        }
        // At most capacity waiting plus (threshold - 1) released records, plus the seal.
        Assert.True(largest <= (8 + 3) * QueueKit.RecordSize(22) + QueueKit.SealSize, "log grew to " + largest);
        Assert.Equal(0, queue.DroppedCount);
    }
}
