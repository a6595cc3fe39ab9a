using System.Collections.Generic;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Tests.Queue;

/// <summary>Power cuts and flash damage in the log: every whole record survives, only the damaged one is lost, and the loss is reported.</summary>
public class QueueRecoveryTests
{
    private static (MemoryFileStore Store, string Log) QueueWithFour()
    {
        var store = new MemoryFileStore();
        ReadingQueue queue = QueueKit.Open(store);
        QueueKit.AppendRange(queue, 1, 4);
        return (store, queue.ActiveFileName);
    }

    private static int OffsetOf(long sequence)
    {
        // A fresh log is a seal record followed by the appended readings 1, 2, 3, ...
        int offset = QueueKit.SealSize;
        for (long s = 1; s < sequence; s++) offset += QueueKit.RecordSize(s);
        return offset;
    }

    [Fact]
    public void TornTailAtEveryByteOfTheLastRecordLosesOnlyThatRecord()
    {
        var (baseline, log) = QueueWithFour();
        int end = baseline.Peek(log)!.Length;
        int lastStart = OffsetOf(4);
        Assert.Equal(end, lastStart + QueueKit.RecordSize(4));

        for (int cut = lastStart; cut < end; cut++)
        {
            MemoryFileStore store = baseline.Clone();
            store.Truncate(log, cut);
            ReadingQueue queue = QueueKit.Open(store);

            Assert.Equal(QueueKit.Range(1, 3), QueueKit.Pending(queue));
            if (cut == lastStart)
            {
                Assert.Equal(0, queue.DamageCount);
            }
            else
            {
                Assert.Equal(1, queue.DamageCount);
                QueueDamage damage = queue.GetDamage(0);
                Assert.True(damage.AtTail);
                Assert.Equal(lastStart, damage.Offset);
                Assert.Equal(cut - lastStart, damage.Length);
                Assert.False(string.IsNullOrEmpty(damage.Reason));
            }

            // The log was rewritten clean, so appending continues after the last whole record.
            queue.Append(5, QueueKit.PayloadFor(5));
            ReadingQueue again = QueueKit.Open(store);
            Assert.Equal(new List<long> { 1, 2, 3, 5 }, QueueKit.Pending(again));
            Assert.Equal(0, again.DamageCount);
            Assert.Equal(1, QueueKit.LogFileCount(store));
        }
    }

    [Fact]
    public void PowerCutAtEveryUnitOfAnAppendKeepsEverythingBeforeIt()
    {
        var (baseline, _) = QueueWithFour();
        for (int budget = 0; ; budget++)
        {
            MemoryFileStore store = baseline.Clone();
            ReadingQueue queue = QueueKit.Open(store);
            store.FailAfter(budget);
            bool finished = true;
            try
            {
                queue.Append(5, QueueKit.PayloadFor(5));
            }
            catch (SimulatedPowerLossException)
            {
                finished = false;
            }
            store.PowerOn();
            List<long> pending = QueueKit.Pending(QueueKit.Open(store));
            Assert.Equal(finished ? QueueKit.Range(1, 5) : QueueKit.Range(1, 4), pending);
            if (finished) break;
        }
    }

    [Fact]
    public void CorruptingAnyByteOfAMiddleRecordDropsThatRecordAndReportsIt()
    {
        var (baseline, log) = QueueWithFour();
        int start = OffsetOf(2);
        for (int offset = start; offset < start + QueueKit.RecordSize(2); offset++)
        {
            MemoryFileStore store = baseline.Clone();
            store.CorruptByte(log, offset);
            ReadingQueue queue = QueueKit.Open(store);

            Assert.Equal(new List<long> { 1, 3, 4 }, QueueKit.Pending(queue));
            Assert.Equal(1, queue.DamageCount);
            QueueDamage damage = queue.GetDamage(0);
            Assert.False(damage.AtTail);
            Assert.Equal(start, damage.Offset);
            Assert.Equal(QueueKit.RecordSize(2), damage.Length);
            Assert.Contains("corrupt record", damage.ToString());
        }
    }

    [Fact]
    public void CorruptingTheLastRecordDropsOnlyIt()
    {
        var (baseline, log) = QueueWithFour();
        int start = OffsetOf(4);
        for (int offset = start; offset < start + QueueKit.RecordSize(4); offset++)
        {
            MemoryFileStore store = baseline.Clone();
            store.CorruptByte(log, offset);
            ReadingQueue queue = QueueKit.Open(store);
            Assert.Equal(QueueKit.Range(1, 3), QueueKit.Pending(queue));
            Assert.Equal(1, queue.DamageCount);
        }
    }

    [Fact]
    public void CorruptingTheSealStillRecoversEveryReading()
    {
        var (baseline, log) = QueueWithFour();
        for (int offset = 0; offset < QueueKit.SealSize; offset++)
        {
            MemoryFileStore store = baseline.Clone();
            store.CorruptByte(log, offset);
            ReadingQueue queue = QueueKit.Open(store);
            Assert.Equal(QueueKit.Range(1, 4), QueueKit.Pending(queue));
            Assert.Equal(1, queue.DamageCount);
            Assert.Equal(0, QueueKit.Open(store).DamageCount);
        }
    }

    [Fact]
    public void ARepeatedAppendThatLandedTwiceIsKeptOnce()
    {
        var (store, log) = QueueWithFour();
        byte[] again = QueueRecord.Encode(QueueRecordKind.Reading, 4, QueueKit.PayloadFor(4));
        store.Append(log, again, 0, again.Length);
        ReadingQueue queue = QueueKit.Open(store);
        Assert.Equal(QueueKit.Range(1, 4), QueueKit.Pending(queue));
        Assert.Contains("repeated", queue.GetDamage(0).Reason);
    }

    [Fact]
    public void GarbageAfterAPowerCutIsSkippedLikeATornTail()
    {
        var (store, log) = QueueWithFour();
        store.Append(log, new byte[] { 0, 0, 0, 0xC6, 0x51, 1, 0xFF }, 0, 7);
        ReadingQueue queue = QueueKit.Open(store);
        Assert.Equal(QueueKit.Range(1, 4), QueueKit.Pending(queue));
        Assert.True(queue.GetDamage(0).AtTail);
    }

    [Fact]
    public void AnUnreadableCursorResendsRatherThanLoses()
    {
        var store = new MemoryFileStore();
        ReadingQueue queue = QueueKit.Open(store);
        QueueKit.AppendRange(queue, 1, 3);
        queue.Acknowledge(1);
        store.CorruptByte("queue.ack.0", 5);
        ReadingQueue restarted = QueueKit.Open(store);
        Assert.NotNull(restarted.CursorProblem);
        Assert.Equal(QueueKit.Range(1, 3), QueueKit.Pending(restarted));
    }

    [Fact]
    public void AFailedAppendIsCleanedUpBeforeTheNextOne()
    {
        var (store, _) = QueueWithFour();
        ReadingQueue queue = QueueKit.Open(store);
        store.FailAfter(5);
        Assert.Throws<SimulatedPowerLossException>(() => queue.Append(5, QueueKit.PayloadFor(5)));
        // The flash came back without a restart (a transient error): the same object carries on.
        store.PowerOn();
        queue.Append(6, QueueKit.PayloadFor(6));
        ReadingQueue restarted = QueueKit.Open(store);
        Assert.Equal(new List<long> { 1, 2, 3, 4, 6 }, QueueKit.Pending(restarted));
        Assert.Equal(0, restarted.DamageCount);
    }
}
