using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Peering.Transport;

/// <summary>
/// One peer's outgoing messages, bounded in bytes and count (docs/peering.md, "Drop policy"). Undroppable
/// messages (consensus) go out before droppable ones (gossip). When the queue is full, the oldest droppable
/// messages make room; if only undroppable ones are left, the enqueue fails and the caller closes the connection,
/// so nothing undroppable is ever lost without the peer's connection ending.
/// </summary>
internal sealed class SendQueue
{
    public enum Outcome
    {
        Queued,
        QueuedAfterDroppingOlder,
        DroppedThisMessage,
        Full,
    }

    private readonly object gate = new();
    private readonly Queue<OutgoingMessage> undroppable = new();
    private readonly Queue<OutgoingMessage> droppable = new();
    private readonly SemaphoreSlim available = new(0, 1);
    private readonly long maxBytes;
    private readonly int maxMessages;
    private long bytes;
    private long dropped;

    public SendQueue(long maxBytes, int maxMessages)
    {
        this.maxBytes = maxBytes;
        this.maxMessages = maxMessages;
    }

    public long QueuedBytes => Interlocked.Read(ref bytes);

    public long Dropped => Interlocked.Read(ref dropped);

    public int Count
    {
        get
        {
            lock (gate)
            {
                return undroppable.Count + droppable.Count;
            }
        }
    }

    public Outcome Enqueue(OutgoingMessage message, bool canDrop)
    {
        lock (gate)
        {
            Outcome outcome = Outcome.Queued;
            while (!Fits(message) && droppable.Count > 0)
            {
                Remove(droppable.Dequeue());
                Interlocked.Increment(ref dropped);
                outcome = Outcome.QueuedAfterDroppingOlder;
            }
            if (!Fits(message))
            {
                if (canDrop)
                {
                    Interlocked.Increment(ref dropped);
                    return Outcome.DroppedThisMessage;
                }
                return Outcome.Full;
            }
            (canDrop ? droppable : undroppable).Enqueue(message);
            Interlocked.Add(ref bytes, message.Payload.Length);
            if (available.CurrentCount == 0)
            {
                available.Release();
            }
            return outcome;
        }
    }

    /// <summary>
    /// Moves the next messages into <paramref name="batch"/>, undroppable first and each kind in the order queued,
    /// while their frames total at most <paramref name="maxBatchBytes"/> (at least one message, however large); waits
    /// up to <paramref name="wait"/> when the queue is empty. Returns how many were taken, 0 when none arrived in time.
    /// What is taken is in flight and no longer droppable, so the batch bound is kept small next to the queue's.
    /// </summary>
    public async Task<int> DequeueBatchAsync(List<OutgoingMessage> batch, int maxBatchBytes, TimeSpan wait, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        while (true)
        {
            int taken = TryDequeueBatch(batch, maxBatchBytes);
            if (taken > 0)
            {
                return taken;
            }
            // The signal may be left over from messages an earlier batch already took: wait again for the rest of the
            // time rather than report an idle queue (the writer would send a needless ping).
            TimeSpan left = wait - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || !await available.WaitAsync(left, cancellationToken).ConfigureAwait(false))
            {
                return TryDequeueBatch(batch, maxBatchBytes);
            }
        }
    }

    private int TryDequeueBatch(List<OutgoingMessage> batch, int maxBatchBytes)
    {
        lock (gate)
        {
            int taken = 0;
            long frameBytes = 0;
            while (undroppable.Count + droppable.Count > 0)
            {
                Queue<OutgoingMessage> source = undroppable.Count > 0 ? undroppable : droppable;
                long next = FrameCodec.HeaderBytes + 1 + source.Peek().Payload.Length;
                if (taken > 0 && frameBytes + next > maxBatchBytes)
                {
                    break;
                }
                OutgoingMessage message = source.Dequeue();
                Remove(message);
                batch.Add(message);
                frameBytes += next;
                taken++;
            }
            return taken;
        }
    }

    private bool Fits(OutgoingMessage message) =>
        undroppable.Count + droppable.Count < maxMessages && Interlocked.Read(ref bytes) + message.Payload.Length <= maxBytes;

    private void Remove(OutgoingMessage message) => Interlocked.Add(ref bytes, -message.Payload.Length);
}
