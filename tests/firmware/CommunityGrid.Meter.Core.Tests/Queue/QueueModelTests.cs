using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Tests.Queue;

/// <summary>
/// Random sequences of append, acknowledge, compact, restart, power cuts at random bytes and torn tails, checked
/// after every step against a plain reference model. Seeded, so a failure replays exactly.
/// </summary>
public class QueueModelTests
{
    private sealed class Model
    {
        public List<long> Pending = new();
        public long Highest;
        public long Released;
        public long LastAck;
        public long Dropped;

        public Model Clone() => new() { Pending = new List<long>(Pending), Highest = Highest, Released = Released, LastAck = LastAck, Dropped = Dropped };

        public long Append(long sequence, int capacity)
        {
            long dropped = 0;
            if (Pending.Count >= capacity) dropped = DropOldest();
            Pending.Add(sequence);
            Highest = sequence;
            return dropped;
        }

        public long DropOldest()
        {
            long oldest = Pending[0];
            Pending.RemoveAt(0);
            Released = oldest;
            Dropped++;
            return oldest;
        }

        public bool Acknowledge(long sequence)
        {
            if (sequence <= Released || sequence > Highest) return false;
            Released = sequence;
            LastAck = sequence;
            Pending.RemoveAll(s => s <= sequence);
            return true;
        }

        public bool Matches(ReadingQueue queue) =>
            QueueKit.Pending(queue).SequenceEqual(Pending) && queue.ReleasedThrough == Released
            && queue.LastAcknowledged == LastAck && queue.DroppedCount == Dropped;

        public override string ToString() =>
            "pending [" + string.Join(",", Pending) + "] released " + Released + " ack " + LastAck + " dropped " + Dropped;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void QueueBehavesLikeTheModelThroughCrashes(int seed)
    {
        var random = new Random(seed);
        int capacity = 2 + random.Next(8);
        int compactAfter = 1 + random.Next(6);
        var store = new MemoryFileStore();
        ReadingQueue queue = QueueKit.Open(store, capacity, compactAfter);
        var model = new Model();

        for (int step = 0; step < 600; step++)
        {
            string context = "seed " + seed + " step " + step;
            int choice = random.Next(100);
            if (choice < 40)
            {
                long sequence = model.Highest + 1 + random.Next(2);
                Assert.Equal(model.Append(sequence, capacity), queue.Append(sequence, QueueKit.PayloadFor(sequence)));
            }
            else if (choice < 65)
            {
                long sequence = PickAck(random, model);
                Assert.Equal(model.Acknowledge(sequence), queue.Acknowledge(sequence));
            }
            else if (choice < 70)
            {
                queue.Compact();
            }
            else if (choice < 80)
            {
                queue = QueueKit.Open(store, capacity, compactAfter);
            }
            else if (choice < 95)
            {
                queue = CrashDuringAnOperation(random, store, queue, ref model, capacity, compactAfter, context);
            }
            else
            {
                queue = TearTheTail(random, store, queue, ref model, capacity, compactAfter, context);
            }

            Assert.True(model.Matches(queue), context + ": expected " + model + ", queue has [" + string.Join(",", QueueKit.Pending(queue)) + "]");
            Assert.Equal(model.Pending.Count == 0 ? (long?)null : model.Pending[0], queue.Peek()?.Sequence);
            Assert.True(queue.Count <= capacity, context);
            Assert.True(QueueKit.LogFileCount(store) <= 2, context);
        }
    }

    private static long PickAck(Random random, Model model)
    {
        int kind = random.Next(10);
        if (kind < 7 && model.Pending.Count > 0) return model.Pending[random.Next(model.Pending.Count)];
        if (kind < 9) return model.Released - random.Next(3);
        return model.Highest + 1 + random.Next(3);
    }

    private static ReadingQueue CrashDuringAnOperation(Random random, MemoryFileStore store, ReadingQueue queue, ref Model model,
        int capacity, int compactAfter, string context)
    {
        var candidates = new List<Model> { model.Clone() };
        Model after = model.Clone();
        bool isAppend = random.Next(2) == 0;
        long sequence = isAppend ? model.Highest + 1 : PickAck(random, model);
        if (isAppend)
        {
            if (model.Pending.Count >= capacity)
            {
                Model droppedOnly = model.Clone();
                droppedOnly.DropOldest();
                candidates.Add(droppedOnly);
            }
            after.Append(sequence, capacity);
        }
        else
        {
            after.Acknowledge(sequence);
        }
        candidates.Add(after);

        store.FailAfter(random.Next(80));
        try
        {
            if (isAppend) queue.Append(sequence, QueueKit.PayloadFor(sequence));
            else queue.Acknowledge(sequence);
            store.PowerOn();
            model = after;
            return queue;
        }
        catch (SimulatedPowerLossException)
        {
            store.PowerOn();
        }
        ReadingQueue restarted = QueueKit.Open(store, capacity, compactAfter);
        Model? match = candidates.FirstOrDefault(c => c.Matches(restarted));
        Assert.True(match != null, context + ": after a cut during " + (isAppend ? "append " : "ack ") + sequence
            + " the queue has [" + string.Join(",", QueueKit.Pending(restarted)) + "], allowed: " + string.Join(" | ", candidates));
        model = match!;
        model.Highest = Math.Max(model.Highest, restarted.HighestSequence);
        return restarted;
    }

    private static ReadingQueue TearTheTail(Random random, MemoryFileStore store, ReadingQueue queue, ref Model model,
        int capacity, int compactAfter, string context)
    {
        // At most a seal's length, so the cut reaches into the last record only.
        string log = queue.ActiveFileName;
        int length = store.Peek(log)!.Length;
        int cut = Math.Min(length, 1 + random.Next(QueueRecord.Overhead));
        store.Truncate(log, length - cut);
        ReadingQueue restarted = QueueKit.Open(store, capacity, compactAfter);

        Model withoutNewest = model.Clone();
        if (withoutNewest.Pending.Count > 0) withoutNewest.Pending.RemoveAt(withoutNewest.Pending.Count - 1);
        Model? match = model.Matches(restarted) ? model : withoutNewest.Matches(restarted) ? withoutNewest : null;
        Assert.True(match != null, context + ": a torn tail cost more than the newest record: [" + string.Join(",", QueueKit.Pending(restarted)) + "]");
        model = match!;
        model.Highest = restarted.HighestSequence;
        Assert.True(model.Highest >= model.Released, context);
        return restarted;
    }
}
