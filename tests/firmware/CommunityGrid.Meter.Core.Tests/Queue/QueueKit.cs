using System.Collections.Generic;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Tests.Queue;

/// <summary>Deterministic payloads and queue helpers shared by the queue tests.</summary>
internal static class QueueKit
{
    public const int SealSize = QueueRecord.Overhead;

    /// <summary>A payload whose length and bytes depend on the sequence, so a swapped or damaged record shows.</summary>
    public static byte[] PayloadFor(long sequence)
    {
        byte[] payload = new byte[10 + (int)(sequence % 23)];
        for (int i = 0; i < payload.Length; i++) payload[i] = (byte)(sequence * 31 + i * 7);
        return payload;
    }

    public static int RecordSize(long sequence) => QueueRecord.Overhead + PayloadFor(sequence).Length;

    public static ReadingQueue Open(IFileStore store, int capacity = 100, int compactAfterReleased = 1000)
    {
        var queue = new ReadingQueue(store, new QueueOptions { Capacity = capacity, CompactAfterReleased = compactAfterReleased });
        queue.Open();
        return queue;
    }

    public static void AppendRange(ReadingQueue queue, long from, long to)
    {
        for (long s = from; s <= to; s++) queue.Append(s, PayloadFor(s));
    }

    public static List<long> Pending(ReadingQueue queue)
    {
        var sequences = new List<long>();
        for (int i = 0; i < queue.Count; i++)
        {
            QueuedReading reading = queue.GetPending(i);
            Assert.Equal(PayloadFor(reading.Sequence), reading.Payload);
            sequences.Add(reading.Sequence);
        }
        return sequences;
    }

    public static List<long> Range(long from, long to)
    {
        var list = new List<long>();
        for (long s = from; s <= to; s++) list.Add(s);
        return list;
    }

    public static int LogFileCount(MemoryFileStore store)
    {
        int count = 0;
        foreach (string name in store.Names()) if (name.Contains(".log")) count++;
        return count;
    }
}
